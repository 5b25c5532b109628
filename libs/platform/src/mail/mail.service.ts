import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transporter } from 'nodemailer';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/config.service';
import { MailOutboxEntity } from './mail-outbox.entity';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  template: string;
}

@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  /** Made on the first mail: nodemailer is loaded only by a process that sends one through SMTP. */
  private transport?: Promise<Transporter>;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(MailOutboxEntity) private readonly outbox: Repository<MailOutboxEntity>,
  ) {}

  /** Records the mail in the outbox, then sends it through SMTP when one is configured. */
  async send(message: MailMessage): Promise<void> {
    const row = await this.outbox.save(this.outbox.create({ ...message, status: 'queued', error: null, sentAt: null }));
    const smtpUrl = this.config.env.SMTP_URL;
    if (!smtpUrl) return;
    this.transport ??= import('nodemailer').then(({ createTransport }) => createTransport(smtpUrl));
    try {
      await (
        await this.transport
      ).sendMail({
        from: this.config.env.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      await this.outbox.update(row.id, { status: 'sent', sentAt: new Date() });
    } catch (error) {
      this.logger.warn({ err: error, mailId: row.id }, 'SMTP delivery failed');
      await this.outbox.update(row.id, { status: 'failed', error: (error as Error).message });
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
}
