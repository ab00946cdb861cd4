import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { renderToString } from "preact-render-to-string";
import type { Tag } from "../../core/db/schema.ts";
import { BuiltHtmlIn } from "../../core/views/trusted-html.tsx";
import { formatNumber } from "../../core/views/format.ts";
import { LANGUAGES } from "../../works/languages.ts";
import { FACET_TYPES, type FacetType } from "../index/browse-types.ts";
import type { FoundWorks } from "./find-works.ts";
import {
  facetGroup,
  facetGroupHtml,
  facetRows,
  languageOptions,
  languageOptionsHtml,
} from "./facets-html.ts";
import type { TagLabel } from "./tag-labels.ts";

/** The components these strings replaced, as views.tsx rendered them. */
function ReferenceFacetGroup(props: { type: FacetType; name: string; found: FoundWorks }) {
  const { type, found, name } = props;
  const included = new Set(found.included.filter((t) => t.type === type).map((t) => t.id));
  const excluded = new Set(found.excluded.filter((t) => t.type === type).map((t) => t.id));
  const counts = found.facets[type];
  const chosen = new Map<number, TagLabel>();
  for (const t of [...found.included, ...found.excluded]) if (t.type === type) chosen.set(t.id, t);
  const rows: { tag: TagLabel; count: number | null }[] = [
    ...[...chosen.values()].map((tag) => ({
      tag,
      count: counts.find((c) => c.tag.id === tag.id)?.count ?? null,
    })),
    ...counts.filter((c) => !chosen.has(c.tag.id)),
  ];
  if (rows.length === 0) return null;
  return (
    <details class="facet" open={chosen.size > 0}>
      <summary>
        {name}
        {chosen.size > 0 ? <span class="chosen"> ({formatNumber(chosen.size)} chosen)</span> : null}
      </summary>
      <fieldset>
        <legend class="landmark">{name}</legend>
        <p class="facet-head" aria-hidden="true">
          <span>Include</span>
          <span>Exclude</span>
        </p>
        <ul>
          {rows.map(({ tag, count }) => {
            const shown = `${tag.name}${count !== null ? ` (${formatNumber(count)})` : ""}`;
            return (
              <li class="facet-row">
                <input
                  type="checkbox"
                  id={`include-${tag.id}`}
                  name="include"
                  value={String(tag.id)}
                  checked={included.has(tag.id)}
                />
                <label for={`include-${tag.id}`} class="tag-name">
                  <span class="landmark">Include </span>
                  {shown}
                </label>
                <label class="exclude">
                  <input
                    type="checkbox"
                    id={`exclude-${tag.id}`}
                    name="exclude"
                    value={String(tag.id)}
                    checked={excluded.has(tag.id)}
                  />
                  <span class="landmark">Exclude {tag.name}</span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
    </details>
  );
}

function ReferenceLanguages({ language }: { language?: string }) {
  const languages = LANGUAGES.some((l) => l.code === language)
    ? LANGUAGES
    : language
      ? [...LANGUAGES, { code: language, name: language }]
      : LANGUAGES;
  return (
    <select id="filter-language" name="language">
      <option value="" selected={!language}>
        Any language
      </option>
      {languages.map((l) => (
        <option value={l.code} selected={l.code === language} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

function BuiltFacetGroup(props: { type: FacetType; name: string; found: FoundWorks }) {
  const { rows, chosen } = facetRows(props.type, props.found);
  if (rows.length === 0) return null;
  return (
    <BuiltHtmlIn
      as="details"
      class="facet"
      open={chosen > 0}
      html={facetGroup(props.type, props.name, chosen, rows, props.found).html}
    />
  );
}

const tagName = fc.string({ unit: fc.constantFrom("a", "B", " ", "&", "<", ">", '"', "/", "é") });
const tag = fc.record({
  id: fc.integer({ min: 1, max: 30 }),
  name: tagName,
  type: fc.constantFrom<FacetType>(...FACET_TYPES),
});

const foundWorks = fc
  .record({
    facets: fc.array(fc.tuple(tag, fc.integer({ min: 0, max: 2_000_000 })), { maxLength: 30 }),
    included: fc.array(tag, { maxLength: 3 }),
    excluded: fc.array(tag, { maxLength: 3 }),
  })
  .map(({ facets, included, excluded }): FoundWorks => {
    const byType = Object.fromEntries(
      FACET_TYPES.map((t) => [t, [] as FoundWorks["facets"][FacetType]]),
    );
    const seen = new Set<number>();
    for (const [t, count] of facets) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      byType[t.type]!.push({ tag: t, count });
    }
    return {
      ids: [],
      works: [],
      total: 0,
      hidden: 0,
      pages: 0,
      capped: false,
      facets: byType as FoundWorks["facets"],
      included: included as Tag[],
      excluded: excluded as Tag[],
      notices: [],
    };
  });

describe("facet lists built as strings", () => {
  it("match what the components rendered, chosen tags and counts included", () => {
    fc.assert(
      fc.property(foundWorks, tagName, (found, name) => {
        for (const type of FACET_TYPES) {
          assert.equal(
            renderToString(<BuiltFacetGroup type={type} name={name} found={found} />),
            renderToString(<ReferenceFacetGroup type={type} name={name} found={found} />),
          );
        }
      }),
    );
  });
});

describe("facet groups kept with their UTF-8", () => {
  const found = (included: TagLabel[] = []) =>
    ({ included, excluded: [] }) as unknown as Pick<FoundWorks, "included" | "excluded">;
  const rowsOf = (tags: TagLabel[], counts: number[]) =>
    tags.map((tag, i) => ({ tag, count: counts[i]! }));

  it("is the built markup, kept while the same labels show the same counts", () => {
    const fluff: TagLabel = { id: 1, name: "Fluff", type: "freeform" };
    const angst: TagLabel = { id: 2, name: "Angst é", type: "freeform" };
    const rows = rowsOf([fluff, angst], [10, 4]);
    const first = facetGroup("freeform", "Additional Tags", 0, rows, found());
    assert.equal(first.html, facetGroupHtml("freeform", "Additional Tags", 0, rows, found()));
    assert.equal(first.utf8.toString("utf8"), first.html);
    assert.equal(
      facetGroup("freeform", "Additional Tags", 0, rowsOf([fluff, angst], [10, 4]), found()),
      first,
    );

    const recounted = facetGroup(
      "freeform",
      "Additional Tags",
      0,
      rowsOf([fluff, angst], [11, 4]),
      found(),
    );
    assert.match(recounted.html, /Fluff \(11\)/);
    const renamed: TagLabel = { ...fluff, name: "Fluffy" };
    const afterRename = facetGroup(
      "freeform",
      "Additional Tags",
      0,
      rowsOf([renamed, angst], [10, 4]),
      found(),
    );
    assert.match(afterRename.html, /Fluffy \(10\)/, "a renamed tag is a new label: built again");
    const chosenRows = rowsOf([fluff, angst], [10, 4]);
    const chosen = facetGroup("freeform", "Additional Tags", 1, chosenRows, found([fluff]));
    assert.match(chosen.html, /value="1" checked/);
    assert.doesNotMatch(first.html, /checked/);
  });
});

describe("languageOptionsHtml", () => {
  it("matches the rendered select for no choice, a listed one and an unlisted one", () => {
    for (const language of [undefined, "en", "pt-BR", "zz", "ar", "x&y"]) {
      for (let twice = 0; twice < 2; twice++) {
        assert.equal(
          renderToString(
            <BuiltHtmlIn
              as="select"
              id="filter-language"
              name="language"
              html={languageOptionsHtml(language ?? "")}
            />,
          ),
          renderToString(<ReferenceLanguages language={language} />),
          String(language),
        );
        const kept = languageOptions(language ?? "");
        assert.equal(kept.html, languageOptionsHtml(language ?? ""));
        if (kept.utf8) assert.equal(kept.utf8.toString("utf8"), kept.html);
      }
    }
  });
});
