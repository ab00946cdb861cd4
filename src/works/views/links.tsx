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
