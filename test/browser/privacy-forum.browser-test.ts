/**
 * Browser test of the Privacy page and the community forum, run by scripts/test-browser.sh (which names
 * forum-moderator@crescendo.test an instance administrator, ADMIN_EMAILS): a member downloads their data, grants
 * and withdraws a consent (the history follows), records a lead's AI consent, exports and erases that lead from
 * its page, opens a forum topic and comments on it; the moderator locks it
 * and the member can no longer comment; the member then deletes their account with the confirmation phrase.
 */
import { readFile } from 'node:fs/promises';
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.PRIVACY_SCREENSHOT_PATH ?? '/tmp/crescendo-privacy.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `${name}.png`);
const member = newUser('Privacy');
const moderator = { ...newUser('Moderator'), email: 'forum-moderator@crescendo.test' };
const subjectEmail = `grace-${Math.random().toString(36).slice(2, 8)}@example.invalid`;
const topicTitle = `Launch checklist ${Math.random().toString(36).slice(2, 8)}`;

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    // its own client addresses (the test API trusts the proxy header): the sign-up limit is per address
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '203.0.113.81' });
    let topicUrl = '';
    const steps: Step[] = [
      [
        'the Privacy page downloads one JSON file with the member’s own data',
        async () => {
          await signUpAndIn(page, member);
          await byTestId(page, 'nav-privacy').click();
          const download = page.waitForEvent('download');
          await byTestId(page, 'privacy-download').click();
          const file = await download;
          check(/^crescendo-data-export-.+\.json$/.test(file.suggestedFilename()), file.suggestedFilename());
          const body = JSON.parse(await readFile((await file.path())!, 'utf8'));
          check(body.data.identity.profile[0].email === member.email, 'the export is not the member’s');
        },
      ],
      [
        'a consent is granted then withdrawn with one click each; the history lists both changes',
        async () => {
          const analytics = byTestId(page, 'consent-analytics');
          check(!(await analytics.isChecked()), 'analytics starts granted');
          check(await byTestId(page, 'consent-necessary').isDisabled(), 'necessary can be switched off');
          await analytics.click({ force: true });
          await eventually(async () => await analytics.isChecked(), 'analytics was not granted');
          await byTestId(page, 'consent-history').locator('tr').first().waitFor();
          await analytics.click({ force: true });
          await eventually(async () => !(await analytics.isChecked()), 'analytics was not withdrawn');
          await eventually(
            async () => (await byTestId(page, 'consent-history').locator('tr').count()) === 2,
            'the history does not list two changes',
          );
          const rows = await byTestId(page, 'consent-history').locator('tr').allTextContents();
          check(/Analytics.*withdrawn/.test(rows[0]) && /Analytics.*granted/.test(rows[1]), rows.join(' | '));
          await page.screenshot({ path: screenshotPath, fullPage: true });
        },
      ],
      [
        'the lead page’s privacy tools record a withdrawn AI consent, export the lead’s data and erase them',
        async () => {
          await byTestId(page, 'nav-leads').click();
          await byTestId(page, 'lead-new').click();
          await byTestId(page, 'lead-name').fill('Grace Subject');
          await byTestId(page, 'lead-email').fill(subjectEmail);
          await byTestId(page, 'lead-submit').click();
          await byTestId(page, 'lead-created').waitFor();
          await byTestId(page, 'lead-row').filter({ hasText: 'Grace Subject' }).locator('a').first().click();
          await byTestId(page, 'lead-privacy').waitFor();
          const ai = byTestId(page, 'subject-aiProcessing');
          const status = byTestId(page, 'subject-ai-status');
          await status.filter({ hasText: 'May be sent' }).waitFor();
          await ai.click({ force: true });
          await eventually(async () => await ai.isChecked(), 'AI consent was not granted');
          await ai.click({ force: true });
          await status.filter({ hasText: 'Not sent to AI providers' }).waitFor();
          await page.screenshot({ path: shot('-lead'), fullPage: true });
          const download = page.waitForEvent('download');
          await byTestId(page, 'subject-export').click();
          const file = await download;
          check(/^crescendo-subject-export-.+\.json$/.test(file.suggestedFilename()), file.suggestedFilename());
          const body = JSON.parse(await readFile((await file.path())!, 'utf8'));
          check(body.data.leads.leads[0]?.email === subjectEmail, 'the export is not the lead’s');
          check(body.data.consent.subjectConsents.length === 2, 'the consent history is not exported');
          await byTestId(page, 'subject-erase').click();
          await byTestId(page, 'subject-erase-confirm').click();
          await byTestId(page, 'leads-empty').waitFor();
        },
      ],
      [
        'a new forum topic renders its Markdown without the script; a comment appears under it',
        async () => {
          await byTestId(page, 'nav-forum').click();
          await byTestId(page, 'forum-new-topic').click();
          await byTestId(page, 'forum-topic-title').fill(topicTitle);
          await byTestId(page, 'forum-topic-content').fill('**Bold plan** <script>window.pwned = 1</script>');
          await byTestId(page, 'forum-topic-publish').click();
          await page.locator('[data-testid="forum-topic-heading"]', { hasText: topicTitle }).waitFor();
          topicUrl = page.url();
          await page.locator('.forum-content strong', { hasText: 'Bold plan' }).waitFor();
          check((await page.locator('.forum-content script').count()) === 0, 'a script element was rendered');
          check(!(await page.evaluate('window.pwned')), 'the script ran');
          // A member has no moderation buttons.
          check((await byTestId(page, 'forum-lock').count()) === 0, 'a member sees the lock button');
          await byTestId(page, 'forum-comment-content').fill('First comment, with _emphasis_');
          await byTestId(page, 'forum-comment-send').click();
          await byTestId(page, 'forum-comment').filter({ hasText: 'First comment' }).waitFor();
          // The list finds it by full-text search.
          await page.goto(`${baseUrl}/#/forum`);
          await byTestId(page, 'forum-search').fill('checklist');
          await byTestId(page, 'forum-topic-row').filter({ hasText: topicTitle }).waitFor();
        },
      ],
      [
        'the instance moderator locks the topic; the member can no longer comment',
        async () => {
          const mod = await run.newPage({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.82' } });
          await signUpAndIn(mod, moderator);
          await mod.goto(topicUrl);
          await byTestId(mod, 'forum-moderation').waitFor();
          await byTestId(mod, 'forum-pin').click();
          await byTestId(mod, 'forum-lock').click();
          await byTestId(mod, 'forum-locked-badge').waitFor();
          await byTestId(mod, 'forum-locked-hint').waitFor();
          await mod.screenshot({ path: shot('-forum'), fullPage: true });
          await page.goto(topicUrl);
          await byTestId(page, 'forum-locked-hint').waitFor();
          check((await byTestId(page, 'forum-comment-form').count()) === 0, 'the member can still comment');
        },
      ],
      [
        'the member deletes their account with the exact phrase, and can no longer sign in',
        async () => {
          await byTestId(page, 'nav-privacy').click();
          const button = byTestId(page, 'delete-account');
          await byTestId(page, 'delete-phrase').fill('delete my data');
          check(await button.isDisabled(), 'the button is enabled without the exact phrase');
          await byTestId(page, 'delete-phrase').fill('DELETE_MY_DATA');
          await button.click();
          await byTestId(page, 'login-email').waitFor();
          await byTestId(page, 'login-email').fill(member.email);
          await byTestId(page, 'login-password').fill(member.password);
          await byTestId(page, 'login-submit').click();
          await byTestId(page, 'login-error').waitFor();
          check((await byTestId(page, 'current-user').count()) === 0, 'the deleted account signed in');
        },
      ],
    ];
    await run.steps(steps);
    console.log(`  screenshots: ${screenshotPath}, ${shot('-lead')}, ${shot('-forum')} (base ${baseUrl})`);
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('privacy-forum browser'));
