import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AppConfig,
  assertAllowedOutgoingUrl,
  type SqlPart,
  badRequest,
  MailService,
  maskSecret,
  Principal,
  ReaderLanguageSource,
  SecretBox,
  WorkspaceSmtp,
  WorkspaceSmtpSource,
} from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { defaultGeneralSettings, GeneralSettingsDto, UpdateGeneralSettingsDto } from './general-settings.dto';
import {
  defaultIntegrations,
  IntegrationSettingsDto,
  ResolvedIntegrations,
  SecretStatusDto,
  StoredIntegrations,
  UpdateIntegrationSettingsDto,
} from './integration-settings.dto';
import {
  defaultNotificationSettings,
  NotificationEventsDto,
  NotificationSettingsDto,
  UpdateNotificationSettingsDto,
} from './notification-settings.dto';
import {
  defaultSchedulingSettings,
  SchedulingSettingsDto,
  UpdateSchedulingSettingsDto,
} from './scheduling-settings.dto';
import { SettingsRepository } from './settings.repository';
import { changedPaths, mergeKnown } from './settings.merge';

/** How long a workspace's AI credentials are reused in one process before being read again. */
const AI_CREDENTIALS_TTL_MS = 30_000;
const MAX_CACHED_AI_CREDENTIALS = 5_000;

/** A workspace's own OpenAI credentials, as the AI layer asks for them (WorkspaceAiCredentialsSource). */
export interface WorkspaceAiCredentialsSetting {
  apiKey: string;
  baseUrl: string | null;
  organization: string | null;
}

export enum SettingsSection {
  General = 'general',
  Integrations = 'integrations',
  Notifications = 'notifications',
  Scheduling = 'scheduling',
}

/** The workspace's settings, one typed section per row; defaults when nothing is stored. */
@Injectable()
export class WorkspaceSettingsService implements OnModuleInit, WorkspaceSmtpSource, ReaderLanguageSource {
  private readonly logger = new Logger(WorkspaceSettingsService.name);
  /** Promises, so concurrent calls of one workspace share one read (and resolve in the order they asked). */
  private readonly aiCredentials = new Map<
    string,
    { value: Promise<WorkspaceAiCredentialsSetting | null>; expiresAt: number }
  >();

  constructor(
    private readonly settings: SettingsRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly mail: MailService,
  ) {}

  onModuleInit(): void {
    // A workspace's mail goes through its own SMTP server when it set one.
    this.mail.useWorkspaceSmtp(this);
    // Every mail is written in its reader's language: the one they chose, else the workspace's default.
    this.mail.useReaderLanguages(this);
  }

  /**
   * The language each member chose in their preferences (user settings), for what the server writes to them (mails,
   * notifications, digests); a member who chose none is absent (`readerLanguage` then gives the workspace's default).
   */
  chosenLanguages(userIds: string[]): Promise<Map<string, string>> {
    return this.settings.chosenLanguages(userIds);
  }

  async workspaceLanguage(workspaceId: string): Promise<string> {
    return (await this.getGeneral(workspaceId)).defaultLanguage;
  }

  /** The workspace's own SMTP server, password opened, when it set a host; null: the instance's SMTP. */
  async workspaceSmtp(workspaceId: string): Promise<WorkspaceSmtp | null> {
    const { smtp } = await this.read(workspaceId, SettingsSection.Integrations, defaultIntegrations());
    if (!smtp.host) return null;
    return { ...smtp, host: smtp.host, password: this.open(smtp.password) };
  }

  getGeneral(workspaceId: string): Promise<GeneralSettingsDto> {
    return this.read(workspaceId, SettingsSection.General, defaultGeneralSettings());
  }

  updateGeneral(principal: Principal, dto: UpdateGeneralSettingsDto) {
    return this.write(principal, SettingsSection.General, defaultGeneralSettings(), dto, dto);
  }

  getNotifications(workspaceId: string): Promise<NotificationSettingsDto> {
    return this.read(workspaceId, SettingsSection.Notifications, defaultNotificationSettings());
  }

  /**
   * The workspace's in-app switch of `setting` as a condition another feature's statement embeds (values from
   * $first): what getNotifications would answer in `inApp[setting]`, read by the statement that acts on it.
   */
  inAppSwitchSql(workspaceId: string, setting: keyof NotificationEventsDto, first: number): SqlPart {
    const fallback = defaultNotificationSettings().inApp[setting];
    return this.settings.inAppSwitchSql(workspaceId, setting, fallback, first);
  }

  updateNotifications(principal: Principal, dto: UpdateNotificationSettingsDto) {
    return this.write(principal, SettingsSection.Notifications, defaultNotificationSettings(), dto, dto);
  }

  getScheduling(workspaceId: string): Promise<SchedulingSettingsDto> {
    return this.read(workspaceId, SettingsSection.Scheduling, defaultSchedulingSettings());
  }

  updateScheduling(principal: Principal, dto: UpdateSchedulingSettingsDto) {
    return this.write(principal, SettingsSection.Scheduling, defaultSchedulingSettings(), dto, dto, (merged) => {
      if (merged.workingHours.start >= merged.workingHours.end) {
        const message = `workingHours.start (${merged.workingHours.start}) must be before workingHours.end (${merged.workingHours.end})`;
        throw badRequest('VALIDATION_FAILED', message, [
          { field: 'workingHours.start', message },
          { field: 'workingHours.end', message },
        ]);
      }
      merged.postingSlots = [...merged.postingSlots].sort();
    });
  }

  async getIntegrations(workspaceId: string): Promise<IntegrationSettingsDto> {
    const stored = await this.read(workspaceId, SettingsSection.Integrations, defaultIntegrations());
    return this.toIntegrationsResponse(stored);
  }

  async updateIntegrations(principal: Principal, dto: UpdateIntegrationSettingsDto): Promise<IntegrationSettingsDto> {
    // The server will POST to it: refused before it is stored if it points at an internal address.
    if (dto.slackWebhookUrl) {
      await assertAllowedOutgoingUrl(
        dto.slackWebhookUrl,
        this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS,
        'slackWebhookUrl',
      );
    }
    const patch = {
      ...dto,
      openaiApiKey: this.seal(dto.openaiApiKey),
      slackWebhookUrl: this.seal(dto.slackWebhookUrl),
      webhookSigningSecret: this.seal(dto.webhookSigningSecret),
      // Setting the secret by hand (a leak, say) ends any rotation grace: the old secret stops working now.
      ...(dto.webhookSigningSecret !== undefined
        ? { webhookSigningSecretPrevious: null, webhookSigningSecretPreviousUntil: null }
        : {}),
      smtp: dto.smtp ? { ...dto.smtp, password: this.seal(dto.smtp.password) } : undefined,
    };
    const stored = await this.write(principal, SettingsSection.Integrations, defaultIntegrations(), patch, dto);
    this.aiCredentials.delete(principal.workspaceId);
    return this.toIntegrationsResponse(stored);
  }

  /**
   * The workspace's own OpenAI key (with its base URL and organization) when it set one, else null: its
   * AI calls then use the instance providers. Kept briefly per process (every AI call asks); an update in
   * this process is seen at once, one in another process within AI_CREDENTIALS_TTL_MS.
   */
  workspaceAiCredentials(workspaceId: string): Promise<WorkspaceAiCredentialsSetting | null> {
    const now = Date.now();
    const known = this.aiCredentials.get(workspaceId);
    if (known && known.expiresAt > now) return known.value;
    const value = this.readAiCredentials(workspaceId);
    if (this.aiCredentials.size >= MAX_CACHED_AI_CREDENTIALS) this.aiCredentials.clear();
    const entry = { value, expiresAt: now + AI_CREDENTIALS_TTL_MS };
    this.aiCredentials.set(workspaceId, entry);
    // A failed read is not remembered.
    value.catch(() => {
      if (this.aiCredentials.get(workspaceId) === entry) this.aiCredentials.delete(workspaceId);
    });
    return value;
  }

  private async readAiCredentials(workspaceId: string): Promise<WorkspaceAiCredentialsSetting | null> {
    const stored = await this.read(workspaceId, SettingsSection.Integrations, defaultIntegrations());
    const apiKey = this.open(stored.openaiApiKey);
    return apiKey ? { apiKey, baseUrl: stored.openaiBaseUrl, organization: stored.openaiOrganization } : null;
  }

  /**
   * Replaces the inbound webhook signing secret; the one it replaces stays valid until `previousUntil`,
   * so senders can switch without losing deliveries.
   */
  async rotateWebhookSigningSecret(
    principal: Principal,
    secret: string,
    previousUntil: Date,
  ): Promise<{ previousUntil: string | null }> {
    const stored = await this.write(
      principal,
      SettingsSection.Integrations,
      defaultIntegrations(),
      (current) => ({
        webhookSigningSecret: this.seal(secret),
        webhookSigningSecretPrevious: current.webhookSigningSecret,
        webhookSigningSecretPreviousUntil: current.webhookSigningSecret ? previousUntil.toISOString() : null,
      }),
      { webhookSigningSecret: 'rotated' },
    );
    return { previousUntil: stored.webhookSigningSecretPreviousUntil };
  }

  /** The integrations with secrets opened, for the features that call those services. Never answer this. */
  async resolveIntegrations(workspaceId: string): Promise<ResolvedIntegrations> {
    const stored = await this.read(workspaceId, SettingsSection.Integrations, defaultIntegrations());
    const until = stored.webhookSigningSecretPreviousUntil;
    const previousValid = until !== null && new Date(until).getTime() > Date.now();
    return {
      ...stored,
      openaiApiKey: this.open(stored.openaiApiKey),
      slackWebhookUrl: this.open(stored.slackWebhookUrl),
      webhookSigningSecret: this.open(stored.webhookSigningSecret),
      webhookSigningSecretPrevious: previousValid ? this.open(stored.webhookSigningSecretPrevious) : null,
      webhookSigningSecretPreviousUntil: previousValid ? until : null,
      smtp: { ...stored.smtp, password: this.open(stored.smtp.password) },
    };
  }

  private async read<T extends object>(workspaceId: string, section: SettingsSection, defaults: T): Promise<T> {
    return mergeKnown(defaults, await this.settings.readSection(workspaceId, section));
  }

  /** Read, merge and write under a row lock so concurrent partial updates do not lose each other. */
  private write<T extends object>(
    principal: Principal,
    section: SettingsSection,
    defaults: T,
    patch: object | ((stored: T) => object),
    dto: object,
    check?: (merged: T) => void,
  ): Promise<T> {
    const { workspaceId } = principal;
    return this.settings.transaction(async (manager: EntityManager) => {
      const row = await this.settings.lockSection(manager, workspaceId, section);
      const stored = mergeKnown(defaults, row.data);
      const merged = mergeKnown(stored, typeof patch === 'function' ? patch(stored) : patch);
      check?.(merged);
      row.data = { ...(merged as Record<string, unknown>) };
      await this.settings.saveSection(manager, row);
      const fields = changedPaths(dto);
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'settings_updated',
          message: `Workspace settings "${section}" updated`,
          workspaceId,
          userId: principal.userId,
          apiKeyId: principal.apiKeyId ?? null,
          metadata: { section, fields },
        },
        manager,
      );
      return merged;
    });
  }

  private seal(value: string | null | undefined): string | null | undefined {
    if (value === undefined || value === null) return value;
    return this.box.encrypt(value);
  }

  private open(sealed: string | null): string | null {
    if (!sealed) return null;
    try {
      return this.box.decrypt(sealed);
    } catch (error) {
      this.logger.error({ err: error }, 'A stored integration secret could not be decrypted (key changed?)');
      return null;
    }
  }

  private secretStatus(sealed: string | null): SecretStatusDto {
    if (!sealed) return { configured: false, masked: null };
    const plain = this.open(sealed);
    return { configured: true, masked: plain === null ? '••••' : maskSecret(plain) };
  }

  private toIntegrationsResponse(stored: StoredIntegrations): IntegrationSettingsDto {
    return {
      openaiApiKey: this.secretStatus(stored.openaiApiKey),
      openaiBaseUrl: stored.openaiBaseUrl,
      openaiOrganization: stored.openaiOrganization,
      slackWebhookUrl: this.secretStatus(stored.slackWebhookUrl),
      webhookSigningSecret: this.secretStatus(stored.webhookSigningSecret),
      smtp: {
        host: stored.smtp.host,
        port: stored.smtp.port,
        secure: stored.smtp.secure,
        username: stored.smtp.username,
        password: this.secretStatus(stored.smtp.password),
        fromEmail: stored.smtp.fromEmail,
        fromName: stored.smtp.fromName,
      },
    };
  }
}
