import {
  createAutomationRule,
  createSegment,
  deleteAutomationRule,
  deleteSegment,
  getAutomationRule,
  getSegment,
  listAutomationRules,
  listAutomationRuns,
  listSegmentFields,
  listSegmentLeads,
  listSegments,
  previewSegment,
  setAutomationRuleStatus,
  updateAutomationRule,
  updateSegment,
  type CreateAutomationRuleDto,
  type CreateSegmentDto,
  type ListAutomationRulesData,
  type ListAutomationRunsData,
  type ListSegmentLeadsData,
  type ListSegmentsData,
  type SegmentRuleGroupDto,
  type UpdateAutomationRuleDto,
  type UpdateSegmentDto,
  exportLeads,
  type ExportLeadsData,
  importLeads,
  type ImportLeadsData,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listInboundWebhookDeliveries,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSigningSecret,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  type CreateWebhookEndpointDto,
  type ListInboundWebhookDeliveriesData,
  type ListWebhookDeliveriesData,
  type ListApiKeysData,
  type ListUsersData,
  type ListWebhookEndpointsData,
  type UpdateWebhookEndpointDto,
  createCampaign,
  deleteCampaign,
  enrollCampaignLeads,
  getCampaign,
  getCampaignStats,
  listCampaignLeads,
  listCampaigns,
  unenrollCampaignLead,
  updateCampaign,
  updateCampaignLead,
  updateCampaignStatus,
  type CreateCampaignDto,
  type ListCampaignLeadsData,
  type ListCampaignsData,
  type UpdateCampaignDto,
  type UpdateCampaignLeadDto,
  type UpdateCampaignStatusDto,
  confirmPasswordReset,
  bulkLeads,
  createLead,
  createSubscriber,
  deleteSubscriber,
  getEarnings,
  getSubscriber,
  listSubscribers,
  recordEarning,
  updateSubscriber,
  type CreateEarningDto,
  type CreateSubscriberDto,
  type GetEarningsData,
  type ListSubscribersData,
  type CursorPageMetadataDto,
  type UpdateSubscriberDto,
  createNiche,
  deleteLead,
  deleteNiche,
  getJob,
  getLead,
  getNiche,
  getNicheRecommendations,
  getNicheStats,
  listLeads,
  listNiches,
  restoreLead,
  updateLead,
  updateNiche,
  type BulkLeadsDto,
  type CreateLeadDto,
  type CreateNicheDto,
  type LeadResponseDto,
  type ListLeadsData,
  type ListNichesData,
  type UpdateLeadDto,
  type UpdateNicheDto,
  createApiKey,
  createUser,
  deleteUser,
  getManagementSettings,
  getProfile,
  getUser,
  listApiKeys,
  listPermissions,
  listRoles,
  listUsers,
  login,
  logout,
  me,
  register,
  requestPasswordReset,
  revokeApiKey,
  updateManagementSettings,
  updatePassword,
  updateProfile,
  updateUser,
  updateUserStatus,
  type CreateApiKeyDto,
  type CreateUserDto,
  type LoginDto,
  type MeResponseDto,
  type RegisterDto,
  type UpdateManagementSettingsDto,
  type UpdateProfileDto,
  type UpdateUserDto,
  type UpdateUserStatusDto,
} from '@crescendo/api-client';
// Configures the generated client instance the sdk functions use (base URL, token, refresh on 401).
import './client';
import { unwrap } from './errors';

/*
 * Every call the SPA makes, each through its generated sdk function with the generated request and
 * response types. The names below are only aliases of generated types, for readability.
 */

export type Me = MeResponseDto;
export type PermissionName = MeResponseDto['permissions'][number];
export type RoleName = MeResponseDto['workspace']['role'];
/** The owner role is never given: it comes with creating the workspace. */
export type AssignableRole = CreateUserDto['role'];
export type LeadStatus = LeadResponseDto['status'];
/** Query of GET /api/leads without the page (filters, search, sort). */
export type LeadQuery = NonNullable<ListLeadsData['query']>;
export type NicheQuery = NonNullable<ListNichesData['query']>;
export type CampaignQuery = NonNullable<ListCampaignsData['query']>;
export type CampaignLeadQuery = NonNullable<ListCampaignLeadsData['query']>;
export type SubscriberQuery = NonNullable<ListSubscribersData['query']>;
export type EarningsQuery = NonNullable<GetEarningsData['query']>;

/** The `{success, data, metadata}` envelope's page info in the shape the pager uses. */
const pageOf = (m: CursorPageMetadataDto) => ({
  page: m.page,
  limit: m.pageSize,
  total: m.total,
  pages: m.totalPages,
  totalIsEstimate: m.totalIsEstimate,
  nextCursor: m.nextCursor,
  prevCursor: m.prevCursor,
});

export const api = {
  // --- auth ---
  login: (body: LoginDto) => unwrap(login({ body })),
  register: (body: RegisterDto) => unwrap(register({ body })),
  logout: () => unwrap(logout({ body: {} })),
  me: () => unwrap(me()),
  requestPasswordReset: (email: string) => unwrap(requestPasswordReset({ body: { email } })),
  confirmPasswordReset: (token: string, password: string) =>
    unwrap(confirmPasswordReset({ body: { token, password } })),
  updatePassword: (currentPassword: string, newPassword: string) =>
    unwrap(updatePassword({ body: { currentPassword, newPassword } })),

  // --- api keys ---
  listApiKeys: (query: NonNullable<ListApiKeysData['query']>) => unwrap(listApiKeys({ query })),
  createApiKey: (body: CreateApiKeyDto) => unwrap(createApiKey({ body })),
  revokeApiKey: (id: string) => unwrap(revokeApiKey({ path: { id } })),

  // --- roles & permissions ---
  listRoles: () => unwrap(listRoles()),
  listPermissions: () => unwrap(listPermissions()),

  // --- users ---
  listUsers: (query: NonNullable<ListUsersData['query']>) => unwrap(listUsers({ query })),
  getUser: (id: string) => unwrap(getUser({ path: { id } })),
  createUser: (body: CreateUserDto) => unwrap(createUser({ body })),
  updateUser: (id: string, body: UpdateUserDto) => unwrap(updateUser({ path: { id }, body })),
  updateUserStatus: (id: string, status: UpdateUserStatusDto['status']) =>
    unwrap(updateUserStatus({ path: { id }, body: { status } })),
  deleteUser: (id: string) => unwrap(deleteUser({ path: { id } })),

  // --- profile & management settings (answers are `{ success, data }`) ---
  getProfile: async () => (await unwrap(getProfile())).data,
  updateProfile: async (body: UpdateProfileDto) => (await unwrap(updateProfile({ body }))).data,
  getManagementSettings: async () => (await unwrap(getManagementSettings())).data,
  updateManagementSettings: async (body: UpdateManagementSettingsDto) =>
    (await unwrap(updateManagementSettings({ body }))).data,

  // --- leads ---
  listLeads: (query: LeadQuery) => unwrap(listLeads({ query })),
  getLead: (id: string) => unwrap(getLead({ path: { id } })),
  createLead: (body: CreateLeadDto) => unwrap(createLead({ body })),
  updateLead: (id: string, body: UpdateLeadDto) => unwrap(updateLead({ path: { id }, body })),
  deleteLead: (id: string) => unwrap(deleteLead({ path: { id } })),
  restoreLead: (id: string) => unwrap(restoreLead({ path: { id } })),
  /** One action on 1 to 1000 leads, all or nothing (POST /api/leads/bulk). */
  bulkLeads: (body: BulkLeadsDto) => unwrap(bulkLeads({ body })),

  // --- niches ---
  listNiches: (query: NicheQuery) => unwrap(listNiches({ query })),
  getNiche: (id: string) => unwrap(getNiche({ path: { id } })),
  createNiche: (body: CreateNicheDto) => unwrap(createNiche({ body })),
  updateNiche: (id: string, body: UpdateNicheDto) => unwrap(updateNiche({ path: { id }, body })),
  deleteNiche: (id: string) => unwrap(deleteNiche({ path: { id } })),
  getNicheStats: (id: string) => unwrap(getNicheStats({ path: { id } })),
  getNicheRecommendations: (id: string) => unwrap(getNicheRecommendations({ path: { id } })),

  // --- campaigns ---
  listCampaigns: (query: CampaignQuery) => unwrap(listCampaigns({ query })),
  getCampaign: (id: string) => unwrap(getCampaign({ path: { id } })),
  createCampaign: (body: CreateCampaignDto) => unwrap(createCampaign({ body })),
  updateCampaign: (id: string, body: UpdateCampaignDto) => unwrap(updateCampaign({ path: { id }, body })),
  updateCampaignStatus: (id: string, status: UpdateCampaignStatusDto['status']) =>
    unwrap(updateCampaignStatus({ path: { id }, body: { status } })),
  deleteCampaign: (id: string) => unwrap(deleteCampaign({ path: { id } })),
  getCampaignStats: (id: string) => unwrap(getCampaignStats({ path: { id } })),
  listCampaignLeads: (id: string, query: CampaignLeadQuery) => unwrap(listCampaignLeads({ path: { id }, query })),
  enrollCampaignLeads: (id: string, leadIds: string[]) =>
    unwrap(enrollCampaignLeads({ path: { id }, body: { leadIds } })),
  updateCampaignLead: (id: string, leadId: string, body: UpdateCampaignLeadDto) =>
    unwrap(updateCampaignLead({ path: { id, leadId }, body })),
  unenrollCampaignLead: (id: string, leadId: string) => unwrap(unenrollCampaignLead({ path: { id, leadId } })),

  // --- subscribers & earnings (answers are `{ success, data, metadata? }`) ---
  listSubscribers: async (query: SubscriberQuery) => {
    const answer = await unwrap(listSubscribers({ query }));
    return { data: answer.data, pagination: pageOf(answer.metadata) };
  },
  getSubscriber: async (id: string) => (await unwrap(getSubscriber({ path: { id } }))).data,
  createSubscriber: async (body: CreateSubscriberDto) => (await unwrap(createSubscriber({ body }))).data,
  updateSubscriber: async (id: string, body: UpdateSubscriberDto) =>
    (await unwrap(updateSubscriber({ path: { id }, body }))).data,
  deleteSubscriber: async (id: string) => (await unwrap(deleteSubscriber({ path: { id } }))).data,
  getEarnings: async (query: EarningsQuery) => {
    const answer = await unwrap(getEarnings({ query }));
    return { ...answer.data, pagination: pageOf(answer.metadata) };
  },
  recordEarning: async (body: CreateEarningDto) => (await unwrap(recordEarning({ body }))).data,

  // --- webhooks ---
  listWebhookEndpoints: (query: NonNullable<ListWebhookEndpointsData['query']>) =>
    unwrap(listWebhookEndpoints({ query })),
  createWebhookEndpoint: (body: CreateWebhookEndpointDto) => unwrap(createWebhookEndpoint({ body })),
  updateWebhookEndpoint: (id: string, body: UpdateWebhookEndpointDto) =>
    unwrap(updateWebhookEndpoint({ path: { id }, body })),
  deleteWebhookEndpoint: (id: string) => unwrap(deleteWebhookEndpoint({ path: { id } })),
  testWebhookEndpoint: (id: string) => unwrap(testWebhookEndpoint({ path: { id } })),
  listWebhookDeliveries: (id: string, query: NonNullable<ListWebhookDeliveriesData['query']>) =>
    unwrap(listWebhookDeliveries({ path: { id }, query })),
  listInboundWebhookDeliveries: (query: NonNullable<ListInboundWebhookDeliveriesData['query']>) =>
    unwrap(listInboundWebhookDeliveries({ query })),
  rotateWebhookSigningSecret: () => unwrap(rotateWebhookSigningSecret()),

  /** Uploads the file (multipart) and answers the import job to follow (202). */
  importLeads: (body: ImportLeadsData['body']) => unwrap(importLeads({ body })),

  /**
   * The file when the API answers it at once (200), else the job that writes it (202). The body is
   * text for CSV, a Blob for XLSX, JSON for a job: whatever it is, the file becomes a Blob.
   */
  exportLeads: async (
    query: NonNullable<ExportLeadsData['query']>,
  ): Promise<{ kind: 'file'; blob: Blob; fileName: string } | { kind: 'job'; jobId: string }> => {
    const call = exportLeads({ query });
    const data: unknown = await unwrap(call);
    const { response } = await call;
    if (response.status === 202) return { kind: 'job', jobId: (data as { jobId: string }).jobId };
    const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
    const fileName =
      /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
      `leads.${query.format ?? 'csv'}`;
    const blob = data instanceof Blob ? data : new Blob([String(data)], { type });
    return { kind: 'file', blob, fileName };
  },

  // --- segments & automation (answers are `{ success, data, metadata? }`) ---
  listSegments: async (query: NonNullable<ListSegmentsData['query']>) => {
    const answer = await unwrap(listSegments({ query }));
    return { data: answer.data, pagination: pageOf(answer.metadata) };
  },
  getSegment: async (id: string) => (await unwrap(getSegment({ path: { id } }))).data,
  createSegment: async (body: CreateSegmentDto) => (await unwrap(createSegment({ body }))).data,
  updateSegment: async (id: string, body: UpdateSegmentDto) =>
    (await unwrap(updateSegment({ path: { id }, body }))).data,
  deleteSegment: (id: string) => unwrap(deleteSegment({ path: { id } })),
  listSegmentFields: async () => (await unwrap(listSegmentFields())).data,
  previewSegment: async (rules: SegmentRuleGroupDto, limit: number) =>
    (await unwrap(previewSegment({ body: { rules, limit } }))).data,
  listSegmentLeads: async (id: string, query: NonNullable<ListSegmentLeadsData['query']>) => {
    const answer = await unwrap(listSegmentLeads({ path: { id }, query }));
    return { data: answer.data, pagination: pageOf(answer.metadata) };
  },
  listAutomationRules: async (query: NonNullable<ListAutomationRulesData['query']>) => {
    const answer = await unwrap(listAutomationRules({ query }));
    return { data: answer.data, pagination: pageOf(answer.metadata) };
  },
  getAutomationRule: async (id: string) => (await unwrap(getAutomationRule({ path: { id } }))).data,
  createAutomationRule: async (body: CreateAutomationRuleDto) => (await unwrap(createAutomationRule({ body }))).data,
  updateAutomationRule: async (id: string, body: UpdateAutomationRuleDto) =>
    (await unwrap(updateAutomationRule({ path: { id }, body }))).data,
  setAutomationRuleStatus: async (id: string, status: 'active' | 'paused') =>
    (await unwrap(setAutomationRuleStatus({ path: { id }, body: { status } }))).data,
  deleteAutomationRule: (id: string) => unwrap(deleteAutomationRule({ path: { id } })),
  listAutomationRuns: async (id: string, query: NonNullable<ListAutomationRunsData['query']>) => {
    const answer = await unwrap(listAutomationRuns({ path: { id }, query }));
    return { data: answer.data, pagination: pageOf(answer.metadata) };
  },

  // --- jobs (polled: EventSource cannot send the Authorization header) ---
  getJob: (id: string) => unwrap(getJob({ path: { id } })),
};
