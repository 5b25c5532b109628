import {
  createForumComment,
  createForumTopic,
  deleteDataSubject,
  deleteForumTopic,
  deleteMyData,
  exportDataSubject,
  exportMyData,
  getConsent,
  getConsentHistory,
  getForumTopic,
  getSubjectConsent,
  getSubjectConsentHistory,
  listForumCategories,
  listForumTopics,
  moderateForumTopic,
  recordSubjectConsent,
  updateConsent,
  type CreateForumTopicDto,
  type ListForumTopicsData,
  type ModerateForumTopicDto,
  type RecordSubjectConsentDto,
  type UpdateConsentDto,
} from '@crescendo/api-client';
import './client';
import { unwrap } from './errors';

export type ForumQuery = NonNullable<ListForumTopicsData['query']>;

/** A JSON file answered by the API, as a Blob and the name its Content-Disposition gives. */
async function fileOf(
  call: Promise<{ data?: unknown; error?: unknown; response?: Response }>,
  fallback: string,
): Promise<{ blob: Blob; fileName: string }> {
  const result = await call;
  const data: unknown = await unwrap(Promise.resolve(result));
  const disposition = result.response?.headers.get('Content-Disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback;
  const blob = data instanceof Blob ? data : new Blob([JSON.stringify(data)], { type: 'application/json' });
  return { blob, fileName };
}

/** Privacy (GDPR) and the community forum: every call through its generated sdk function. */
export const privacyApi = {
  // --- the caller's own data ---
  exportMyData: () => fileOf(exportMyData({ parseAs: 'blob' }), 'crescendo-data-export.json'),
  // The phrase is checked by the API too (400 when it differs).
  deleteMyData: (confirmation: string) =>
    unwrap(deleteMyData({ body: { confirmation: confirmation as 'DELETE_MY_DATA' } })),
  getConsent: () => unwrap(getConsent()),
  updateConsent: (body: UpdateConsentDto) => unwrap(updateConsent({ body })),
  getConsentHistory: () => unwrap(getConsentHistory({ query: { limit: 20 } })),

  // --- data subjects (a lead, by e-mail) ---
  exportSubject: (email: string) =>
    fileOf(exportDataSubject({ body: { email }, parseAs: 'blob' }), 'crescendo-subject-export.json'),
  eraseSubject: (email: string) => unwrap(deleteDataSubject({ body: { email } })),
  getSubjectConsent: (email: string) => unwrap(getSubjectConsent({ query: { email } })),
  recordSubjectConsent: (body: RecordSubjectConsentDto) => unwrap(recordSubjectConsent({ body })),
  getSubjectConsentHistory: (email: string) => unwrap(getSubjectConsentHistory({ query: { email, limit: 20 } })),

  // --- forum ---
  listForumCategories: () => unwrap(listForumCategories()),
  listForumTopics: (query: ForumQuery) => unwrap(listForumTopics({ query })),
  getForumTopic: (id: string) => unwrap(getForumTopic({ path: { id } })),
  createForumTopic: (body: CreateForumTopicDto) => unwrap(createForumTopic({ body })),
  createForumComment: (id: string, content: string) => unwrap(createForumComment({ path: { id }, body: { content } })),
  moderateForumTopic: (id: string, body: ModerateForumTopicDto) => unwrap(moderateForumTopic({ path: { id }, body })),
  deleteForumTopic: (id: string) => unwrap(deleteForumTopic({ path: { id } })),
};

/** Hands a Blob to the browser as a download. */
export function saveFile({ blob, fileName }: { blob: Blob; fileName: string }): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
