import type { DownloadFormat } from "../works/views/links.tsx";

const FORMAT_NAMES: Readonly<Record<DownloadFormat, string>> = {
  epub: "EPUB",
  html: "HTML",
  txt: "plain text",
  pdf: "PDF",
};

/**
 * Answer to a long work's download while a job builds it (202): the browser asks again by
 * itself (the `Refresh` and `Retry-After` headers), and the link does the same by hand.
 */
export function PreparingView(props: {
  title: string;
  format: DownloadFormat;
  workUrl: string;
  retryUrl: string;
  seconds: number;
}) {
  return (
    <section class="download-preparing" aria-labelledby="preparing-heading">
      <h1 id="preparing-heading">Your download is being prepared</h1>
      <p role="status">
        The {FORMAT_NAMES[props.format]} file of <a href={props.workUrl}>{props.title}</a> is being
        built. This page refreshes in {props.seconds} seconds and the download starts when it is
        ready.
      </p>
      <p>
        <a class="button" href={props.retryUrl}>
          Try again now
        </a>
      </p>
    </section>
  );
}
