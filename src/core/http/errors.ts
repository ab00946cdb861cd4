/** An error that becomes an HTTP response with a message meant for the person who sent it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Field-level messages, keyed by form field name. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = "page") =>
  new HttpError(404, `Sorry, we couldn't find the ${what} you were looking for.`);
export const forbidden = (message = "Sorry, you don't have permission to do that.") =>
  new HttpError(403, message);
