import { randomUUID } from 'node:crypto';
import { NotificationsDigestService, NotificationsService } from '@crescendo/analytics';
import { addMember, createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';

/**
 * The e-mail digest of the notification settings: at 08:00 in the workspace time zone (New York, UTC−5 in
 * December), through the mail outbox, to every active member, only the kinds whose e-mail switch is on, each
 * notification once.
 */
const at = (iso: string) => new Date(iso);
// Monday 7 December 2026: 08:30 in New York is 13:30 UTC.
const EIGHT_THIRTY_NY = at('2026-12-07T13:30:00Z');
const NINE_THIRTY_NY = at('2026-12-07T14:30:00Z');

describe('notification digest e-mails (settings › notifications › digestFrequency)', () => {
  let t: TestApp;
  let digest: NotificationsDigestService;
  let notifications: NotificationsService;
  beforeAll(async () => {
    t = await createTestApp();
    digest = t.app.get(NotificationsDigestService);
    notifications = t.app.get(NotificationsService);
  });
  afterAll(() => t.close());

  const notify = (owner: TestUser, kind: string, message: string) =>
    notifications.record({
      workspaceId: owner.workspaceId,
      eventId: randomUUID(),
      kind,
      level: 'info',
      message,
      data: {},
    });
  const outbox = async (workspaceId: string) =>
    (await t.db.query(
      `SELECT "to", subject, text, template FROM mail_outbox WHERE workspace_id = $1 AND template = 'notification-digest'
        ORDER BY "to"`,
      [workspaceId],
    )) as { to: string; subject: string; text: string; template: string }[];
  const settings = (owner: TestUser, body: Record<string, unknown>) =>
    t.http().put('/api/settings/notifications').set(owner.auth).send(body).expect(200);

  async function workspace(frequency: string): Promise<TestUser> {
    const owner = await signUp(t);
    await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'America/New_York' }).expect(200);
    await settings(owner, {
      digestFrequency: frequency,
      email: { leadStatusChanged: true, campaignStatusChanged: false },
      quietHours: { enabled: false },
    });
    return owner;
  }

  it('daily, at 08:00 local: one e-mail per active member with the switched-on kinds; never twice', async () => {
    const owner = await workspace('daily');
    const member = await addMember(t, owner, 'viewer');
    await notify(owner, 'lead.status_changed', 'Lead Ada converted');
    await notify(owner, 'campaign.status_changed', 'A campaign went from draft to active');

    // 09:30 in New York: not the hour.
    await digest.run(NINE_THIRTY_NY);
    expect(await outbox(owner.workspaceId)).toEqual([]);

    await digest.run(EIGHT_THIRTY_NY);
    const mails = await outbox(owner.workspaceId);
    expect(mails.map((m) => m.to).sort()).toEqual([owner.email, member.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe('Crescendo — your daily digest: 1 notification');
      expect(mail.text).toContain('Lead Ada converted');
      // Its e-mail switch is off.
      expect(mail.text).not.toContain('A campaign went');
      expect(mail.text).toContain('/#/notifications');
    }
    // The same hour again (a retried job): nothing new, nothing sent.
    await digest.run(EIGHT_THIRTY_NY);
    expect(await outbox(owner.workspaceId)).toHaveLength(2);
    // A later notification goes in the next digest only.
    await notify(owner, 'lead.status_changed', 'Lead Grace converted');
    await digest.run(EIGHT_THIRTY_NY);
    const next = (await outbox(owner.workspaceId)).filter((m) => m.text.includes('Grace'));
    expect(next).toHaveLength(2);
    expect(next.every((m) => !m.text.includes('Ada'))).toBe(true);
  });

  it('each member reads it in their language: the one they chose, else the workspace’s', async () => {
    const owner = await workspace('daily');
    const french = await addMember(t, owner, 'viewer');
    await t.http().put('/api/management/settings').set(french.auth).send({ language: 'fr' }).expect(200);
    await notifications.record({
      workspaceId: owner.workspaceId,
      eventId: randomUUID(),
      kind: 'lead.status_changed',
      level: 'success',
      params: { name: 'Ada' },
      message: 'Lead Ada converted',
      data: {},
    });
    await digest.run(EIGHT_THIRTY_NY);
    const mails = Object.fromEntries((await outbox(owner.workspaceId)).map((m) => [m.to, m]));
    expect(mails[owner.email].subject).toBe('Crescendo — your daily digest: 1 notification');
    expect(mails[owner.email].text).toMatch(/^• Lead Ada converted \((.+ ago|Now)\)/);
    expect(mails[owner.email].text).toContain('See them all: ');
    expect(mails[french.email].subject).toBe('Crescendo — votre résumé quotidien : 1 notification');
    expect(mails[french.email].text).toMatch(/^• Prospect Ada converti \((Il y a .+|Maintenant)\)/);
    expect(mails[french.email].text).toContain('Tout voir : ');
  });

  it('none sends nothing; weekly waits for the first day of the week; quiet hours hold it back', async () => {
    const none = await workspace('none');
    await notify(none, 'lead.status_changed', 'Lead converted (none)');
    await digest.run(EIGHT_THIRTY_NY);
    expect(await outbox(none.workspaceId)).toEqual([]);

    const weekly = await workspace('weekly');
    await t.http().put('/api/settings/general').set(weekly.auth).send({ weekStartsOn: 'sunday' }).expect(200);
    await notify(weekly, 'lead.status_changed', 'Lead converted (weekly)');
    await digest.run(EIGHT_THIRTY_NY); // a Monday
    expect(await outbox(weekly.workspaceId)).toEqual([]);
    await digest.run(at('2026-12-13T13:30:00Z')); // Sunday 08:30 in New York
    const [mail] = await outbox(weekly.workspaceId);
    expect(mail.subject).toBe('Crescendo — your weekly digest: 1 notification');

    const quiet = await workspace('daily');
    await settings(quiet, { quietHours: { enabled: true, start: '07:00', end: '09:00' } });
    await notify(quiet, 'lead.status_changed', 'Lead converted (quiet)');
    await digest.run(EIGHT_THIRTY_NY);
    expect(await outbox(quiet.workspaceId)).toEqual([]);
  });
});
