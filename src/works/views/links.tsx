import { useRender } from "../../core/views/context.ts";

/** Comma-separated links: creators in bylines (rel=author), tags in headings. */
export function LinkList(props: {
  links: { name: string; url: string }[];
  rel?: "author";
  class?: string;
}) {
  return (
    <>
      {props.links.map((link, i) => (
        <>
          {i > 0 ? ", " : ""}
          <a rel={props.rel} class={props.class} href={link.url}>
            {link.name}
          </a>
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
