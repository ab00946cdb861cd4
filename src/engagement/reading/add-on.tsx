/**
 * On reading pages, for logged-in readers: the visit goes into their history (when it is on),
 * "Mark for Later" joins the actions (not on the reader's own works), "You stopped at …" and
 * the position script (history on) go above the text, and each chapter ends with a "Save my
 * place" form. See policy.ts for what "Turn on History" stops.
 */
import { chapterPrefix, paragraphTexts } from "../../core/text/paragraphs.ts";
import type { WorkPageAddOn, WorkPageContext } from "../../works/page-addons.ts";
import { chapterLabel } from "../../works/views/reading.tsx";
import { viewerStateOf } from "../work-page/state.ts";
import { recordView } from "./commands.ts";
import { markForLaterRefusal } from "./policy.ts";
import { continueTarget, pickChapter, type ContinueTarget } from "./position.ts";
import * as q from "./queries.ts";
import { MarkForLaterForm, ReadingPositionBox, SavePlaceForm } from "./views.tsx";

async function targetFor(ctx: WorkPageContext, reading: q.Reading): Promise<ContinueTarget | null> {
  if (
    !reading ||
    reading.position_chapter_id === null ||
    reading.position_chapter_position === null ||
    reading.position_paragraph === null ||
    reading.position_at === null
  ) {
    return null;
  }
  const saved = {
    chapterId: reading.position_chapter_id,
    chapterPosition: reading.position_chapter_position,
    paragraph: reading.position_paragraph,
    anchor: reading.position_anchor,
    at: reading.position_at,
  };
  const chapter = pickChapter(saved, ctx.index);
  if (!chapter) return null;
  const html =
    // Paragraph texts are the same with or without the rendered paragraph ids.
    ctx.chapters.find((c) => c.id === chapter.id)?.rendered_html ??
    (await q.chapterTexts(ctx.deps.db, [chapter.id])).get(chapter.id) ??
    "";
  const texts = paragraphTexts(html);
  return continueTarget(ctx.loaded.work.id, saved, ctx.index, () => texts);
}

/** Where a "Save my place" form sends the reader back to: this page, at that chapter. */
function returnTo(ctx: WorkPageContext, position: number) {
  return ctx.chapter ? ctx.req.url : `${ctx.req.url}#${chapterPrefix(position)}`;
}

export const readingAddOn: WorkPageAddOn = {
  async viewed(ctx) {
    const user = ctx.viewer.user;
    // Creators' own works are never recorded: no need to ask for the preference.
    if (!user || ctx.loaded.isCreator) return;
    // The page's state is read before the visit is written: a visit changes none of what the
    // page shows (marked for later, the saved place), only the history's counts.
    const state = await viewerStateOf(ctx, user);
    await recordView(ctx.deps.db, {
      userId: user.id,
      historyOn: state.historyEnabled,
      loaded: ctx.loaded,
      now: ctx.deps.now(),
    });
  },

  async actions(ctx) {
    const user = ctx.viewer.user;
    if (!user || markForLaterRefusal(ctx.loaded)) return [];
    const { reading } = await viewerStateOf(ctx, user);
    return [
      <MarkForLaterForm
        workId={ctx.loaded.work.id}
        marked={reading?.marked_for_later === 1}
        returnTo={ctx.req.url}
      />,
    ];
  },

  async before(ctx) {
    const user = ctx.viewer.user;
    if (!user) return null;
    const state = await viewerStateOf(ctx, user);
    const target = await targetFor(ctx, state.reading);
    const on = ctx.loaded.isCreator || state.historyEnabled;
    const chapter = ctx.chapter;
    return (
      <ReadingPositionBox target={target} now={ctx.deps.now()} follow={on}>
        {chapter ? (
          <SavePlaceForm
            small
            workId={ctx.loaded.work.id}
            chapterId={chapter.id}
            chapterLabel={chapterLabel(chapter)}
            returnTo={returnTo(ctx, chapter.position)}
          />
        ) : null}
      </ReadingPositionBox>
    );
  },

  async chapterEnd(ctx, chapter) {
    if (!ctx.viewer.user) return null;
    return (
      <SavePlaceForm
        workId={ctx.loaded.work.id}
        chapterId={chapter.id}
        chapterLabel={chapterLabel(chapter)}
        returnTo={returnTo(ctx, chapter.position)}
      />
    );
  },
};
