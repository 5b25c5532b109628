import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { finishedJob } from '../helpers/job-events';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';

/** Consent columns of a lead CSV import become consent records (source `import`), through the real import job. */
describe('GDPR: consent carried by a lead import', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let owner: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    owner = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  const importCsv = async (csv: string, duplicatePolicy: 'skip' | 'update') => {
    const accepted = await t
      .http()
      .post('/api/leads/import')
      .set(owner.auth)
      .field('duplicatePolicy', duplicatePolicy)
      .attach('file', Buffer.from(csv), 'leads.csv')
      .expect(202);
    return finishedJob(t, owner, accepted.body.jobId, 60_000);
  };
  const historyOf = async (email: string) =>
    (
      await t.http().get('/api/gdpr/subjects/consent/history').query({ email }).set(owner.auth).expect(200)
    ).body.data.map((r: Record<string, unknown>) => ({ purpose: r.purpose, granted: r.granted, source: r.source }));
  const stateOf = async (email: string) =>
    (await t.http().get('/api/gdpr/subjects/consent').query({ email }).set(owner.auth).expect(200)).body;

  it('records each purpose the file fills, per e-mail, as imported by the member; refuses bad cells', async () => {
    // Known before the import: one lead (the skip policy leaves it alone) and one manual choice.
    await t.http().post('/api/leads').set(owner.auth).send({ name: 'Kept', email: 'kept@example.invalid' }).expect(201);
    await t
      .http()
      .post('/api/gdpr/subjects/consent')
      .set(owner.auth)
      .send({ email: 'same@example.invalid', marketingEmail: true })
      .expect(200);

    const csv = [
      'Name,E-mail,Marketing consent,AI consent',
      'Ann,ann@example.invalid,yes,no',
      'Bob,BOB@example.invalid,non,',
      'Same,same@example.invalid,oui,',
      'Kept,kept@example.invalid,yes,yes',
      'Cat,cat@example.invalid,maybe,yes',
      'Nobody,,yes,',
      'Dan,dan@example.invalid,,',
    ].join('\n');
    const job = await importCsv(csv, 'skip');
    expect(job).toMatchObject({ status: 'COMPLETED', result: { inserted: 4, skipped: 1, failed: 2 } });

    expect(await historyOf('ann@example.invalid')).toEqual(
      expect.arrayContaining([
        { purpose: 'marketing_email', granted: true, source: 'import' },
        { purpose: 'ai_processing', granted: false, source: 'import' },
      ]),
    );
    expect(await historyOf('ann@example.invalid')).toHaveLength(2);
    expect(await stateOf('ann@example.invalid')).toMatchObject({ marketingEmail: true, aiProcessing: false });
    // E-mails are kept lower-cased; an empty cell records nothing.
    expect(await historyOf('bob@example.invalid')).toEqual([
      { purpose: 'marketing_email', granted: false, source: 'import' },
    ]);
    // The same choice as the newest adds nothing.
    expect(await historyOf('same@example.invalid')).toEqual([
      { purpose: 'marketing_email', granted: true, source: 'manual' },
    ]);
    // A lead the import skipped keeps its consent as it was; refused rows record nothing.
    expect(await historyOf('kept@example.invalid')).toEqual([]);
    expect(await historyOf('cat@example.invalid')).toEqual([]);
    expect(await historyOf('dan@example.invalid')).toEqual([]);
    const [who] = await t.db.query(
      `SELECT DISTINCT recorded_by_id, source FROM subject_consent_records WHERE workspace_id = $1 AND email = 'ann@example.invalid'`,
      [owner.workspaceId],
    );
    expect(who).toEqual({ recorded_by_id: owner.id, source: 'import' });

    // The report says why.
    const report = (await t.http().get(job.files[0].url).expect(200)).text;
    expect(report).toContain('consentMarketingEmail: must be yes or no');
    expect(report).toContain('email: required to record consent');
  });

  it('the update policy records a changed choice for an existing lead (withdrawing by import)', async () => {
    const csv = ['name,email,consentMarketingEmail,consentAiProcessing', 'Ann,ann@example.invalid,no,no'].join('\n');
    const job = await importCsv(csv, 'update');
    expect(job).toMatchObject({ status: 'COMPLETED', result: { updated: 1, failed: 0 } });
    const history = await historyOf('ann@example.invalid');
    expect(history).toHaveLength(3);
    expect(history[0]).toEqual({ purpose: 'marketing_email', granted: false, source: 'import' });
    expect(await stateOf('ann@example.invalid')).toMatchObject({ marketingEmail: false, aiProcessing: false });
  });
});
