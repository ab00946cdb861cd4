/** Gifts on pages (issue 15): "For X." on a work, the Gifts pages, refusing a gift. */
import { PostForm } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import type { WorkView } from "../present.ts";
import { WorkList } from "../views/blurb.tsx";
import { LinkList } from "../views/links.tsx";
import { countHeading, pageHref, type ListingPage } from "../views/listing.tsx";

/** AO3's line in the preface's `ul.associations`: `<li>For <a …/gifts>R</a>.</li>`. */
export function GiftAssociation({ work }: { work: WorkView }) {
  if (!work.gifts?.length) return null;
  return (
    <li>
      For <LinkList links={work.gifts} />.
    </li>
  );
}

/** The recipient's own gifts on one work, as the Refuse buttons under its blurb. */
export interface OwnGift {
  id: number;
  pseudId: number;
  pseudName: string;
}

function RefuseLinks({ gifts }: { gifts: OwnGift[] }) {
  return (
    <ul class="actions" aria-label="Your gift">
      {gifts.map((g) => (
        <li key={g.id}>
          <a class="button danger small" href={`/gifts/${g.id}/refuse`}>
            {gifts.length > 1 ? `Refuse the gift to ${g.pseudName}` : "Refuse Gift"}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** `/users/:login/gifts` and `/users/:login/pseuds/:pseud/gifts`: AO3's "Gifts for X". */
export function GiftsView(props: {
  /** "login", or "pseud (login)". */
  name: string;
  listing: ListingPage;
  baseUrl: string;
  /** The viewer's own gifts by work id: shown with Refuse buttons (their own page only). */
  own: ReadonlyMap<number, OwnGift[]> | null;
}) {
  const { name, listing, baseUrl, own } = props;
  const href = pageHref(baseUrl);
  return (
    <section class="listing gifts">
      <h1 class="heading">Gifts for {name}</h1>
      {own ? (
        <p>
          Works others gave you. Refusing a gift removes your name from the work; it does not delete
          the work.
        </p>
      ) : null}
      <h2 class="heading">{countHeading(listing, "")}</h2>
      <Pagination page={listing.page} pages={listing.pages} href={href} />
      <WorkList
        works={listing.works}
        empty={own ? "Nobody has given you a work yet." : `No gifts for ${name} yet.`}
        extra={(w) => {
          const mine = own?.get(w.id);
          return mine?.length ? <RefuseLinks gifts={mine} /> : null;
        }}
      />
      <Pagination
        page={listing.page}
        pages={listing.pages}
        href={href}
        label="Pagination, end of list"
      />
    </section>
  );
}

/** "Refuse this gift?": the POST that removes it, or back to the gifts page. */
export function RefuseGiftView(props: {
  giftId: number;
  work: { title: string; url: string };
  recipient: string;
  cancelUrl: string;
}) {
  const { giftId, work, recipient, cancelUrl } = props;
  return (
    <section class="confirm-refuse-gift">
      <h1>Refuse this gift?</h1>
      <p>
        <a href={work.url}>{work.title}</a> is a gift for {recipient}. If you refuse it, the work no
        longer names you as its recipient and leaves your Gifts page. The work itself stays where it
        is.
      </p>
      <PostForm action={`/gifts/${giftId}/refuse`}>
        <button type="submit" class="danger">
          Yes, refuse the gift
        </button>{" "}
        <a href={cancelUrl}>No, keep it</a>
      </PostForm>
    </section>
  );
}
