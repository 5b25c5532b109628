/**
 * The leads feature's SQL query interface, for features whose own query language or rows are defined over
 * leads (segment rule trees compiled to SQL, campaign enrollments paged by their lead's state). Leads owns this
 * text: which rows are live, the columns of the API's lead and their mapper. Callers compose it instead of
 * naming the leads table's internals themselves; segment rules may only test the columns `segmentFields` lists.
 */
export { LEAD_OUTPUT_COLUMNS, rowToLeadResponse, type LeadRow } from './leads.repository';

/**
 * A subquery over one live (not soft-deleted) lead of the workspace, with the summary columns other features
 * may show (name, email, company, status): `JOIN LATERAL (…) l ON true`, `EXISTS (…)`.
 */
export const liveLeadSql = (leadIdSql: string, workspaceIdSql: string): string =>
  `SELECT l.name, l.email, l.company, l.status FROM leads l
    WHERE l.id = ${leadIdSql} AND l.workspace_id = ${workspaceIdSql} AND l.deleted_at IS NULL`;

/** `FROM … WHERE` of the workspace's live leads, aliased `l`; append `AND <condition>` to filter them. */
export const liveLeadsSql = (workspaceIdSql: string): string =>
  `leads l WHERE l.workspace_id = ${workspaceIdSql} AND l.deleted_at IS NULL`;

/** The order of lists of leads by creation, newest first (index IDX_leads_list_created serves it). */
export const LEADS_NEWEST_FIRST = { columns: ['l.created_at', 'l.id'], descending: true };
