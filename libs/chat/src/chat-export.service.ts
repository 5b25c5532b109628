import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageRepository } from './chat-message.repository';
import { slugify } from './chat-text';
import { ChatOwner, ChatRole, ConversationKind, ExportFormat } from './chat.types';
import { ConversationEntity } from './conversation.entity';
import { ConversationService } from './conversation.service';

/** Messages are read in pages of this size, so a long conversation is never held whole in memory. */
const BATCH = 500;

// DejaVu Sans covers Latin with accents, Greek and Cyrillic (pdfkit's built-in Helvetica does not).
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const contentTypes: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export interface ConversationExport {
  stream: Readable;
  contentType: string;
  fileName: string;
}

/** Exports a conversation as PDF, Markdown or plain text, streamed page by page of messages. */
@Injectable()
export class ChatExportService {
  constructor(
    private readonly conversations: ConversationService,
    private readonly messages: ChatMessageRepository,
  ) {}

  async export(owner: ChatOwner, id: string, format: ExportFormat): Promise<ConversationExport> {
    const conversation = await this.conversations.findOwned(owner, id, ConversationKind.Chat);
    const date = new Date().toISOString().slice(0, 10);
    const messages = this.pages(conversation.id);
    const stream =
      format === 'pdf'
        ? await this.pdf(conversation, messages)
        : Readable.from(format === 'md' ? markdown(conversation, messages) : plainText(conversation, messages));
    return { stream, contentType: contentTypes[format], fileName: `${slugify(conversation.title)}-${date}.${format}` };
  }

  /** Keyset pages of the conversation's messages, oldest first. */
  private async *pages(conversationId: string): AsyncGenerator<ChatMessageEntity> {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const page = await this.messages.pageAfter(conversationId, after, BATCH);
      yield* page;
      if (page.length < BATCH) return;
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  /** pdfkit (≈ 20 MB of RSS) is loaded by the first PDF export, not at boot. */
  private async pdf(conversation: ConversationEntity, messages: AsyncGenerator<ChatMessageEntity>): Promise<Readable> {
    const { default: PDFDocument } = await import('pdfkit');
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: conversation.title } });
    doc.registerFont('body', FONT);
    doc.registerFont('bold', FONT_BOLD);
    void (async () => {
      try {
        doc.font('bold').fontSize(16).text(conversation.title);
        doc.font('body').fontSize(9).fillColor('#555').text(headerLine(conversation)).moveDown();
        for await (const m of messages) {
          doc
            .font('bold')
            .fontSize(10)
            .fillColor('#000')
            .text(`${speaker(m)} — ${stamp(m.createdAt)}`);
          doc.font('body').fontSize(10).text(bodyOf(m)).moveDown(0.6);
        }
        doc.end();
      } catch (error) {
        doc.destroy(error as Error);
      }
    })();
    return doc as unknown as Readable;
  }
}

const stamp = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

const speaker = (m: ChatMessageEntity) =>
  m.role === ChatRole.User
    ? 'Vous'
    : m.role === ChatRole.System
      ? 'Système'
      : [m.provider, m.model].filter(Boolean).join(' · ') || 'Assistant';

const bodyOf = (m: ChatMessageEntity) => (m.error ? `[erreur : ${m.error}] ${m.content}`.trim() : m.content);

const headerLine = (c: ConversationEntity) =>
  [`Dossier : ${c.folder}`, c.tags.length ? `Tags : ${c.tags.join(', ')}` : '', `Créée le ${stamp(c.createdAt)}`]
    .filter(Boolean)
    .join(' · ');

async function* markdown(c: ConversationEntity, messages: AsyncIterable<ChatMessageEntity>): AsyncGenerator<string> {
  yield `# ${c.title.replace(/\n/g, ' ')}\n\n_${headerLine(c)}_\n\n`;
  for await (const m of messages) yield `### ${speaker(m)} — ${stamp(m.createdAt)}\n\n${bodyOf(m)}\n\n`;
}

async function* plainText(c: ConversationEntity, messages: AsyncIterable<ChatMessageEntity>): AsyncGenerator<string> {
  yield `${c.title}\n${'='.repeat(Math.min(c.title.length, 80))}\n${headerLine(c)}\n\n`;
  for await (const m of messages) yield `[${stamp(m.createdAt)}] ${speaker(m)}:\n${bodyOf(m)}\n\n`;
}
