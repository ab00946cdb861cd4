/**
 * The fandom index: media, then each medium's canonical fandoms A–Z with how many works the
 * viewer can see in each. It lives with the works because its counts follow visibility.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Tag } from "../../core/db/schema.ts";
import { notFound } from "../../core/http/errors.ts";
import { route, type AppDeps } from "../../core/http/route.tsx";
import { formatNumber } from "../../core/views/format.ts";
import { page } from "../../core/views/render.tsx";
import { tagNameFromUrl, tagUrlName, tagWorksPath } from "../../tags/names.ts";
import { findTagByName } from "../../tags/queries.ts";
import { allMedia, fandomsInMedium } from "../../tags/wrangling-queries.ts";
import { visibleWorkCounts } from "../queries.ts";

const MediumParams = z.object({ medium: z.string().min(1).max(200) });
const UNCATEGORIZED = "Uncategorized Fandoms";
const fandomsPath = (medium: string) => `/media/${tagUrlName(medium)}/fandoms`;

/** The letter a fandom is filed under: A–Z, or "#" for digits and other scripts. */
function letterOf(name: string): string {
  const first = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/^(the|a|an)\s+/i, "")
    .charAt(0)
    .toUpperCase();
  return /[A-Z]/.test(first) ? first : "#";
}

function FandomIndex({
  medium,
  fandoms,
  counts,
}: {
  medium: Tag;
  fandoms: Tag[];
  counts: Map<number, number>;
}) {
  const groups = new Map<string, Tag[]>();
  for (const f of fandoms) {
    const l = letterOf(f.name);
    groups.set(l, [...(groups.get(l) ?? []), f]);
  }
  const letters = [...groups.keys()].sort((a, b) =>
    a === "#" ? 1 : b === "#" ? -1 : a.localeCompare(b),
  );
  return (
    <section class="fandom-index">
      <h1>{medium.name}</h1>
      <p>
        <a href="/media">All media</a> · {formatNumber(fandoms.length)} fandoms
      </p>
      {letters.length > 1 ? (
        <nav aria-label="Jump to letter">
          <ul class="actions letters">
            {letters.map((l) => (
              <li key={l}>
                <a href={`#letter-${l === "#" ? "other" : l}`}>{l}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {letters.map((l) => (
        <div key={l}>
          <h2 id={`letter-${l === "#" ? "other" : l}`}>{l}</h2>
          <ul class="fandoms">
            {(groups.get(l) ?? []).map((f) => (
              <li key={f.id}>
                <a class="tag" href={tagWorksPath(f.name)}>
                  {f.name}
                </a>{" "}
                ({formatNumber(counts.get(f.id) ?? 0)})
              </li>
            ))}
          </ul>
        </div>
      ))}
      {fandoms.length === 0 ? <p>No fandoms here yet.</p> : null}
    </section>
  );
}

export function registerFandomRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/media",
    auth: "guest-ok",
    handler: async ({ deps }) => {
      const media = await allMedia(deps.db);
      return page(
        "Fandoms",
        <section>
          <h1>Fandoms</h1>
          <ul class="media">
            {media.map((m) => (
              <li key={m.id}>
                <a href={fandomsPath(m.name)}>{m.name}</a>
              </li>
            ))}
          </ul>
        </section>,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/media/:medium/fandoms",
    auth: "guest-ok",
    params: MediumParams,
    handler: async ({ deps, viewer, params }) => {
      const medium = await findTagByName(deps.db, tagNameFromUrl(params.medium));
      if (!medium || medium.type !== "media") throw notFound("medium");
      const canonical = await fandomsInMedium(
        deps.db,
        medium.name === UNCATEGORIZED ? null : medium.id,
      );
      const counts = await visibleWorkCounts(
        deps.db,
        viewer,
        canonical.map((f) => f.id),
      );
      // As on AO3, a fandom is listed only with works the viewer can see.
      const fandoms = canonical.filter((f) => (counts.get(f.id) ?? 0) > 0);
      return page(
        `${medium.name} fandoms`,
        <FandomIndex medium={medium} fandoms={fandoms} counts={counts} />,
      );
    },
  });
}
