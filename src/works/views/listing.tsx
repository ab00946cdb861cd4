import type { ComponentChildren } from "preact";
import { formatNumber } from "../../core/views/format.ts";
import { Pagination } from "../../core/views/pagination.tsx";
import type { WorkView } from "../present.ts";
import { WorkList } from "./blurb.tsx";

export interface ListingPage {
  works: WorkView[];
  total: number;
  page: number;
  pages: number;
  size: number;
}

export function pageHref(base: string) {
  return (n: number) => (n === 1 ? base : `${base}${base.includes("?") ? "&" : "?"}page=${n}`);
}

/**
 * "21 - 40 of 1,234 Works in Fluff", AO3's count heading; without the range when everything fits
 * on one page, or when the page shows none of them (a page past the last).
 */
export function countHeading(listing: ListingPage, suffix: string) {
  if (listing.total === 0) return `0 Works${suffix}`;
  const from = (listing.page - 1) * listing.size + 1;
  const to = from + listing.works.length - 1;
  const works = listing.total === 1 ? "Work" : "Works";
  if (listing.total <= listing.size || listing.works.length === 0)
    return `${formatNumber(listing.total)} ${works}${suffix}`;
  return `${formatNumber(from)} - ${formatNumber(to)} of ${formatNumber(listing.total)} ${works}${suffix}`;
}

export function ListingView(props: {
  title: string;
  heading: string;
  listing: ListingPage;
  baseUrl: string;
  empty: string;
  children?: ComponentChildren;
}) {
  return (
    <section class="listing">
      <h1 class="heading">{props.title}</h1>
      {props.children}
      <h2 class="heading">{props.heading}</h2>
      <Pagination
        page={props.listing.page}
        pages={props.listing.pages}
        href={pageHref(props.baseUrl)}
      />
      <WorkList works={props.listing.works} empty={props.empty} />
      <Pagination
        page={props.listing.page}
        pages={props.listing.pages}
        href={pageHref(props.baseUrl)}
        label="Pagination, end of list"
      />
    </section>
  );
}
