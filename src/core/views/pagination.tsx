import { formatNumber } from "./format.ts";

/**
 * Previous/next and numbered page links; `href(page)` builds each address. A page showing two
 * (above and below a list) gives each its own `label`, so the landmarks can be told apart.
 * The list carries AO3's classes (`ol.pagination.actions`, `li.previous`, `li.next`), which
 * tools read to find the last page.
 */
export function Pagination(props: {
  page: number;
  pages: number;
  href: (page: number) => string;
  label?: string;
}) {
  const { page, pages, href, label = "Pagination" } = props;
  if (pages <= 1) return null;
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2]);
  const numbers = [...shown].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label={label}>
      <ol class="pagination actions">
        <li class="previous">
          {page > 1 ? (
            <a href={href(page - 1)} rel="prev">
              ← Previous
            </a>
          ) : (
            <span>← Previous</span>
          )}
        </li>
        {numbers.map((n, i) => (
          <>
            {i > 0 && n - (numbers[i - 1] ?? n) > 1 ? <li class="gap">…</li> : null}
            <li key={n}>
              {n === page ? (
                <span aria-current="page">{formatNumber(n)}</span>
              ) : (
                <a href={href(n)}>{formatNumber(n)}</a>
              )}
            </li>
          </>
        ))}
        <li class="next">
          {page < pages ? (
            <a href={href(page + 1)} rel="next">
              Next →
            </a>
          ) : (
            <span>Next →</span>
          )}
        </li>
      </ol>
    </nav>
  );
}
