/** An Atom feed of a listing (a search, a tag): newest update first, as a guest sees it. */
import { xml } from "../../core/views/xml.ts";
import type { WorkView } from "../../works/present.ts";

export interface FeedEntry {
  work: WorkView;
  /** Epoch ms of the work's last update. */
  updated: number;
}

export function worksFeed(opts: {
  base: string;
  title: string;
  selfPath: string;
  htmlPath: string;
  entries: FeedEntry[];
}): string {
  const { base, entries } = opts;
  const iso = (ms: number) => new Date(ms).toISOString();
  const newest = entries.reduce((m, e) => Math.max(m, e.updated), 0);
  const items = entries.map(({ work, updated }) => {
    const tags = [
      ...work.fandoms,
      work.rating,
      ...work.warnings,
      ...work.relationships,
      ...work.characters,
      ...work.freeforms,
    ];
    return xml`
  <entry>
    <id>${base}${work.url}</id>
    <title>${work.title}</title>
    <link rel="alternate" type="text/html" href="${base}${work.url}"/>
    <updated>${iso(updated)}</updated>
    <published>${iso(updated)}</published>
${work.creators.map((c) => xml`    <author><name>${c.name}</name><uri>${base}${c.url}</uri></author>\n`)}${tags.map((t) => xml`    <category term="${t.name}"/>\n`)}    <summary type="html">${work.summaryHtml}</summary>
    <content type="text">${`Words: ${work.words}, Chapters: ${work.chapters}, Language: ${work.language.name}`}</content>
  </entry>`;
  });
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${base}${opts.selfPath}</id>
  <title>${opts.title}</title>
  <link rel="self" type="application/atom+xml" href="${base}${opts.selfPath}"/>
  <link rel="alternate" type="text/html" href="${base}${opts.htmlPath}"/>
  <updated>${iso(newest || 0)}</updated>
  <generator>Fanfold</generator>
${items}
</feed>
`.text;
}
