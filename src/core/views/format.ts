/** Display formats shared by every page. Dates are shown in UTC until time zones come. */
export function formatDate(ms: number | null): string {
  if (ms === null) return "";
  return new Date(ms).toISOString().slice(0, 10);
}

export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
