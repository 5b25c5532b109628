import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transporter } from 'nodemailer';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/config.service';
import { type Language, readerLanguage, toLanguage } from '../i18n/language';
import { assertPublicUrl } from '../webhooks/safe-http';
import { MailOutboxEntity } from './mail-outbox.entity';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  template: string;
  /** The workspace the mail is sent for: its own SMTP server, when it set one, sends it. */
  workspaceId?: string | null;
}

/** A workspace's own SMTP server (settings › integrations › smtp), secrets opened. */
export interface WorkspaceSmtp {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password: string | null;
  fromEmail: string | null;
  fromName: string | null;
}

/** Where the mail service reads a workspace's SMTP override; the settings feature registers itself. */
export interface WorkspaceSmtpSource {
  workspaceSmtp(workspaceId: string): Promise<WorkspaceSmtp | null>;
}

/**
 * Where the mail service reads the languages people read (their preferences, a workspace's default); the
 * settings feature registers itself.
 */
export interface ReaderLanguageSource {
  /** The language each of these users chose in their preferences (those who chose one). */
  chosenLanguages(userIds: string[]): Promise<Map<string, string>>;
  /** The workspace's default language (general settings). */
  workspaceLanguage(workspaceId: string): Promise<string>;
}

/** Workspace transports kept at most (each holds no connection between mails). */
const MAX_WORKSPACE_TRANSPORTS = 200;

@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  /** Made on the first mail: nodemailer is loaded only by a process that sends one through SMTP. */
  private transport?: Promise<Transporter>;
  private readonly workspaceTransports = new Map<string, Promise<Transporter>>();
  private workspaceSmtpSource?: WorkspaceSmtpSource;
  private readerLanguageSource?: ReaderLanguageSource;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(MailOutboxEntity) private readonly outbox: Repository<MailOutboxEntity>,
  ) {}

  /** Called once by the feature that stores workspaces' SMTP settings (platform cannot import it). */
  useWorkspaceSmtp(source: WorkspaceSmtpSource): void {
    this.workspaceSmtpSource = source;
  }

  /** Called once by the feature that stores people's and workspaces' languages (platform cannot import it). */
  useReaderLanguages(source: ReaderLanguageSource): void {
    this.readerLanguageSource = source;
  }

  /**
   * The language to write each of `userIds` in (`readerLanguage`): the one they chose in their preferences, else the
   * default of the workspace the mail is sent for, else English.
   */
  async languagesOf(userIds: string[], workspaceId: string | null): Promise<Map<string, Language>> {
    const source = this.readerLanguageSource;
    // Read together: how long it takes says nothing of whether someone chose a language (or has an account).
    const [chosen, workspaceDefault] = source
      ? await Promise.all([
          userIds.length ? source.chosenLanguages(userIds) : new Map<string, string>(),
          workspaceId ? source.workspaceLanguage(workspaceId) : null,
        ])
      : [new Map<string, string>(), null];
    return new Map(userIds.map((id) => [id, toLanguage(readerLanguage(chosen.get(id), workspaceDefault))]));
  }

  /** The language to write one reader in: a user, or (null) someone without an account, read for a workspace. */
  async languageOf(userId: string | null, workspaceId: string | null): Promise<Language> {
    if (userId) return (await this.languagesOf([userId], workspaceId)).get(userId)!;
    const source = this.readerLanguageSource;
    return toLanguage(readerLanguage(null, source && workspaceId ? await source.workspaceLanguage(workspaceId) : null));
  }

  /**
   * Records the mail in the outbox, then sends it through the workspace's own SMTP server when the mail
   * belongs to a workspace that set one, else through the instance's SMTP when one is configured.
   */
  async send(message: MailMessage): Promise<void> {
    const row = await this.outbox.save(
      this.outbox.create({
        ...message,
        workspaceId: message.workspaceId ?? null,
        status: 'queued',
        error: null,
        sentAt: null,
      }),
    );
    try {
      const own = message.workspaceId ? await this.workspaceSmtpSource?.workspaceSmtp(message.workspaceId) : null;
      const route = own ? await this.workspaceRoute(own) : this.instanceRoute();
      if (!route) return;
      await (
        await route.transport
      ).sendMail({ from: route.from, to: message.to, subject: message.subject, text: message.text });
      await this.outbox.update(row.id, { status: 'sent', sentAt: new Date() });
    } catch (error) {
      this.logger.warn({ err: error, mailId: row.id }, 'SMTP delivery failed');
      await this.outbox.update(row.id, { status: 'failed', error: (error as Error).message.slice(0, 2000) });
    }
  }

  /** Deletes mails sent before `before` from the outbox (the outbox's retention); answers how many went. */
  async purgeSentBefore(before: Date): Promise<number> {
    const result = await this.outbox
      .createQueryBuilder()
      .delete()
      .where("status = 'sent'")
      .andWhere('COALESCE(sent_at, created_at) < :before', { before })
      .execute();
    return result.affected ?? 0;
  }

  private instanceRoute(): { transport: Promise<Transporter>; from: string } | null {
    const smtpUrl = this.config.env.SMTP_URL;
    if (!smtpUrl) return null;
    this.transport ??= import('nodemailer').then(({ createTransport }) => createTransport(smtpUrl));
    return { transport: this.transport, from: this.config.env.MAIL_FROM };
  }

  private async workspaceRoute(smtp: WorkspaceSmtp): Promise<{ transport: Promise<Transporter>; from: string }> {
    // A workspace's admin chooses this host: it must not reach into the instance's own network.
    await assertPublicUrl(
      `http://${smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host}:${smtp.port}/`,
      this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS,
    );
    const key = JSON.stringify([smtp.host, smtp.port, smtp.secure, smtp.username, smtp.password]);
    let transport = this.workspaceTransports.get(key);
    if (!transport) {
      if (this.workspaceTransports.size >= MAX_WORKSPACE_TRANSPORTS) this.workspaceTransports.clear();
      transport = import('nodemailer').then(({ createTransport }) =>
        createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
        }),
      );
      this.workspaceTransports.set(key, transport);
    }
    const address = smtp.fromEmail ?? this.config.env.MAIL_FROM;
    const from =
      smtp.fromEmail && smtp.fromName ? `"${smtp.fromName.replace(/["\\\r\n]/g, '')}" <${address}>` : address;
    return { transport, from };
  }
}
