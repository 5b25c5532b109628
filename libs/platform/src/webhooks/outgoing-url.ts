import { badRequest } from '../http/app.exception';
import { assertPublicUrl } from './safe-http';

/**
 * The write-time check of a URL the server will later call: 400 WEBHOOK_URL_NOT_ALLOWED naming the field for
 * a non-http(s) URL, credentials in it, or a host that is or resolves to a private address. It is checked
 * again at each call (DNS can change): this refuses an obviously internal URL before it is stored.
 */
export async function assertAllowedOutgoingUrl(url: string, allowPrivate: boolean, field: string): Promise<void> {
  try {
    await assertPublicUrl(url, allowPrivate);
  } catch (error) {
    const message = (error as Error).message;
    throw badRequest('WEBHOOK_URL_NOT_ALLOWED', `This URL cannot be called: ${message}`, [{ field, message }]);
  }
}
