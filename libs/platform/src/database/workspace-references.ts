import { HttpStatus } from '@nestjs/common';
import { AppException } from '../http/app.exception';

/** Ids in a request body that must be records of the caller's workspace, and how to name them when not. */
export interface BodyReference {
  ids: readonly string[];
  /** The body field, named in `details`. */
  field: string;
  /** `<KIND>_NOT_FOUND`. */
  code: string;
  noun: string;
}

/**
 * The one answer for an id in a request body that is not a record of the caller's workspace (unknown,
 * deleted, or another workspace's): 404 with a `<KIND>_NOT_FOUND` code and one detail per id naming the
 * field, as for a foreign id in the path. Nothing is stored.
 */
export function referenceNotFound(code: string, field: string, noun: string, ids: readonly string[]): AppException {
  return new AppException(
    HttpStatus.NOT_FOUND,
    code,
    ids.length === 1
      ? `The ${noun} of ${field} is not in this workspace`
      : `${ids.length} ${noun}s of ${field} are not in this workspace`,
    ids.map((id) => ({ field, message: `unknown ${noun} ${id}` })),
  );
}

/**
 * Throws referenceNotFound for the ids `known` does not return. `known` is the owning feature's query of its
 * own table (given the distinct ids, it answers those that are the workspace's), so only the owner reads it.
 */
export async function assertReferences(
  reference: BodyReference,
  known: (ids: string[]) => Promise<readonly string[]>,
): Promise<void> {
  const ids = [...new Set(reference.ids)];
  if (!ids.length) return;
  const found = new Set(await known(ids));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) throw referenceNotFound(reference.code, reference.field, reference.noun, unknown);
}
