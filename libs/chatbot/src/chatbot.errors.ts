import { HttpStatus } from '@nestjs/common';
import { AppException, conflict, notFound } from '@crescendo/platform';

export const conversationNotFound = (field?: string) =>
  new AppException(
    HttpStatus.NOT_FOUND,
    'CONVERSATION_NOT_FOUND',
    'Conversation not found in this workspace',
    field ? [{ field, message: 'Not a conversation of this workspace' }] : [],
  );
export const ruleNotFound = () => notFound('AUTO_REPLY_RULE_NOT_FOUND', 'Auto-reply rule not found in this workspace');
export const cannedResponseNotFound = () =>
  notFound('CANNED_RESPONSE_NOT_FOUND', 'Canned response not found in this workspace');

/** Maps a unique-index violation on `constraint` to a 409 `code` about `name`. */
export async function uniqueName<T>(work: Promise<T>, constraint: string, code: string, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
    if (pg.code === '23505' && (pg.constraint ?? pg.driverError?.constraint) === constraint)
      throw conflict(code, `Another ${what} of this workspace has this name`, [
        { field: 'name', message: 'already used in this workspace' },
      ]);
    throw error;
  }
}
