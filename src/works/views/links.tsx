import { useRender } from "../../core/views/context.ts";

/** Comma-separated links: creators in bylines (rel=author), tags in headings. */
/** Links in a comma-separated list; one without an address ("Anonymous") is plain text. */
export function LinkList(props: {
  links: { name: string; url: string | null }[];
  rel?: "author";
  class?: string;
}) {
  return (
    <>
      {props.links.map((link, i) => (
        <>
          {i > 0 ? ", " : ""}
          {link.url === null ? (
            link.name
          ) : (
            <a rel={props.rel} class={props.class} href={link.url}>
              {link.name}
            </a>
          )}
        </>
      ))}
    </>
  );
}

/**
 * AO3's padlock beside the title of a work shown only to logged-in readers. Tools read it
 * (FanFicFare looks for `img[alt="(Restricted)"]`); the image is our own asset (#11).
 */
export function RestrictedLock() {
  const { assetUrl } = useRender();
  return (
    <img
      class="restricted-lock"
      alt="(Restricted)"
      title="Restricted"
      src={assetUrl("lock.svg")}
      width="15"
      height="15"
    />
  );
}

/**
 * The file name part of a download address (`/downloads/ID/NAME.epub`), as AO3 makes it: the
 * title's letters and digits (accents dropped), spaces as underscores, at most 24 characters.
 * Download routes accept any name for the id, so a retitled work's old links keep working.
 */
export function downloadName(title: string): string {
  const name = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9 _-]+/g, "")
    .trim()
    .replace(/\s+/g, "_")
    .slice(0, 24)
    .replace(/_+$/, "");
  return name === "" ? "Work" : name;
}

export const DOWNLOAD_FORMATS = ["epub", "html", "txt", "pdf"] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/** `name`: the title's `downloadName`, when the caller made it once for every format. */
export function downloadPath(
  work: { id: number; title: string },
  format: DownloadFormat,
  name = downloadName(work.title),
): string {
  return `/downloads/${work.id}/${name}.${format}`;
}
