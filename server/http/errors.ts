/** HTTP errors carrying a status and a translation key; the error handler renders them in the user's language. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

export const badRequest = (key = 'errors:badRequest') => new HttpError(400, key);
export const forbidden = (key = 'errors:forbidden') => new HttpError(403, key);
export const notFound = (key = 'errors:notFound') => new HttpError(404, key);
export const conflict = (key = 'errors:conflict') => new HttpError(409, key);
export const payloadTooLarge = (key = 'errors:tooLarge') => new HttpError(413, key);
export const unauthorized = (key = 'errors:sessionExpired') => new HttpError(401, key);
