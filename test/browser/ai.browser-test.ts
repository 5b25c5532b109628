/**
 * Browser test of the AI pages, run by scripts/test-browser.sh against the live API whose AI_PROVIDERS
 * point at fake OpenAI-compatible servers (test/browser/fake-ai-server.ts: Alpha, Beta, Broken).
 * Multi-model chat: one message streamed to three providers, answers side by side (Broken's error in
 * its column), the conversation continued, tagged, favourited, found by search and exported.
 * Auto-replies: the API's field error, a keyword rule created and listed, then a fan message in the
 * inbox answered by that rule.
 */
import { BrowserRun, baseUrl, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';

const screenshotPath = process.env.AI_SCREENSHOT_PATH ?? '/tmp/crescendo-ai.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `${name}.png`);
const user = newUser('Ai');
const question = 'Which launch date suits a spring campaign?';
const followUp = 'And for the summer?';
const rule = { name: 'Pricing questions', keyword: 'price', template: 'Hi {{name}}, the VIP tier is $20 a month.' };

async function main(run: BrowserRun): Promise<void> {
  try {
    const page = await run.open();
    // its own client address (the test API trusts the proxy header): the sign-up limit (3 an hour
    // per address) is shared by every browser test of the run otherwise
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '203.0.113.71' });
    const answer = (provider: string) =>
      byTestId(page, 'chat-answer').and(page.locator(`[data-provider="${provider}"]`));
    const steps: Step[] = [
      [
        'the chat page lists the configured providers, every one chosen',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'nav-chat').click();
          await byTestId(page, 'chat-empty').waitFor();
          await byTestId(page, 'chat-list-empty').waitFor();
          for (const name of ['Alpha', 'Beta', 'Broken']) {
            check(await byTestId(page, `chat-provider-${name}`).isChecked(), `${name} is not chosen`);
          }
          await byTestId(page, 'chat-model-Alpha').selectOption('alpha-small');
        },
      ],
      [
        'a message streams to the providers: answers side by side, the failing one shows its error',
        async () => {
          await byTestId(page, 'chat-message').fill(question);
          await byTestId(page, 'chat-folder').fill('Launches');
          await byTestId(page, 'chat-send').click();
          await answer('Alpha')
            .filter({ hasText: `Alpha answers: ${question}` })
            .waitFor();
          await answer('Beta')
            .filter({ hasText: `Beta replies to ${question}` })
            .waitFor();
          await answer('Broken').locator('[data-testid="chat-answer-error"]').waitFor();
          check((await answer('Alpha').textContent())?.includes('alpha-small'), 'the chosen model is not shown');
          // the live turn gives way to the stored conversation: judge the layout once it has settled
          let boxes = '';
          await eventually(async () => {
            const [a, b] = [await answer('Alpha').first().boundingBox(), await answer('Beta').first().boundingBox()];
            boxes = JSON.stringify({ a, b });
            return !!a && !!b && Math.abs(a.y - b.y) < 2 && b.x >= a.x + a.width;
          }, 'the answers are not side by side').catch(async (error: Error) => {
            await page.screenshot({ path: shot('-failed'), fullPage: true });
            throw new Error(`${error.message}: ${boxes}`);
          });
        },
      ],
      [
        'the new conversation opens with its title and is listed in the sidebar, in its folder',
        async () => {
          await byTestId(page, 'chat-title').waitFor();
          await byTestId(page, 'chat-item').first().waitFor();
          check((await byTestId(page, 'chat-item').count()) === 1, 'expected one conversation in the sidebar');
          check((await byTestId(page, 'chat-header').textContent())?.includes('Launches'), 'the folder is not shown');
          const folders = await byTestId(page, 'chat-folder-filter').textContent();
          check(folders?.includes('Launches (1)'), `the folder filter lacks Launches: ${folders}`);
        },
      ],
      [
        'the conversation continues with two providers: a second turn of two answers',
        async () => {
          await byTestId(page, 'chat-provider-Broken').uncheck();
          await byTestId(page, 'chat-message').fill(followUp);
          await byTestId(page, 'chat-send').click();
          await answer('Beta')
            .filter({ hasText: `Beta replies to ${followUp}` })
            .waitFor();
          await eventually(async () => (await byTestId(page, 'chat-turn').count()) === 2, 'expected two turns');
          const second = byTestId(page, 'chat-turn').nth(1);
          await eventually(
            async () => (await second.locator('[data-testid="chat-answer"]').count()) === 2,
            'the second turn should have two answers',
          );
          check((await byTestId(page, 'chat-user-message').nth(1).textContent())?.includes(followUp), 'no follow-up');
          await page.screenshot({ path: screenshotPath, fullPage: true });
        },
      ],
      [
        'tags are added and removed, the favourite star toggles',
        async () => {
          await byTestId(page, 'tag-input').fill('spring');
          await byTestId(page, 'tag-input').press('Enter');
          await byTestId(page, 'tag-chip').filter({ hasText: 'spring' }).waitFor();
          await byTestId(page, 'tag-input').fill('draft');
          await byTestId(page, 'tag-input').press('Enter');
          await byTestId(page, 'tag-chip').filter({ hasText: 'draft' }).waitFor();
          await byTestId(page, 'tag-chip').filter({ hasText: 'draft' }).getByRole('button').click();
          await eventually(async () => (await byTestId(page, 'tag-chip').count()) === 1, 'the tag was not removed');
          await byTestId(page, 'chat-item').filter({ hasText: 'spring' }).waitFor();
          await byTestId(page, 'chat-favorite').click();
          await byTestId(page, 'chat-favorite').filter({ hasText: '★ Favourite' }).waitFor();
          await byTestId(page, 'chat-favorite-filter').check();
          await byTestId(page, 'chat-item').filter({ hasText: '★' }).waitFor();
          await byTestId(page, 'chat-favorite-filter').uncheck();
        },
      ],
      [
        'search finds the message with the matched word highlighted',
        async () => {
          await byTestId(page, 'chat-search').fill('summer');
          const hit = byTestId(page, 'chat-search-hit').first();
          await hit.waitFor();
          const marked = await hit.locator('mark').first().textContent();
          check(marked?.toLowerCase().includes('summer'), `expected <mark>summer</mark>, got ${marked}`);
          await hit.click();
          await byTestId(page, 'chat-title').waitFor();
          await byTestId(page, 'chat-search').fill('');
        },
      ],
      [
        'export downloads the conversation as Markdown',
        async () => {
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            byTestId(page, 'chat-export-md').click(),
          ]);
          check(download.suggestedFilename().endsWith('.md'), `unexpected file ${download.suggestedFilename()}`);
          const path = await download.path();
          const text = path ? (await import('node:fs')).readFileSync(path, 'utf8') : '';
          check(text.includes(followUp), 'the export lacks the follow-up message');
        },
      ],
      [
        'an answer shows its tokens and cost, and is copied to the clipboard',
        async () => {
          const usage = answer('Beta').last().locator('[data-testid="chat-answer-usage"]');
          await usage.waitFor();
          const text = (await usage.textContent()) ?? '';
          check(/\d+ in · \d+ out/.test(text), `the answer's usage reads: ${text}`);
          await byTestId(page, 'chat-usage-total').waitFor();
          await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
          await answer('Alpha').first().locator('[data-testid="chat-copy"]').click();
          const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
          check(copied.includes(`Alpha answers: ${question}`), `the clipboard holds: ${copied}`);
        },
      ],
      [
        'regenerate asks the same question again of that model, as a new turn',
        async () => {
          const turns = await byTestId(page, 'chat-turn').count();
          await byTestId(page, 'chat-turn')
            .nth(turns - 1)
            .locator('[data-testid="chat-answer"][data-provider="Beta"] [data-testid="chat-regenerate"]')
            .click();
          await eventually(async () => (await byTestId(page, 'chat-turn').count()) === turns + 1, 'no new turn');
          const last = byTestId(page, 'chat-turn').nth(turns);
          await last
            .locator('[data-testid="chat-answer"][data-provider="Beta"]')
            .filter({ hasText: followUp })
            .waitFor();
          await eventually(
            async () => (await last.locator('[data-testid="chat-answer"]').count()) === 1,
            'the regenerated turn should have one answer',
          );
        },
      ],
      [
        'the conversation is renamed in place: the API’s message for an empty title, then the new title here and in the list',
        async () => {
          await byTestId(page, 'chat-rename').click();
          await byTestId(page, 'chat-rename-input').fill('   ');
          await byTestId(page, 'chat-rename-save').click();
          await byTestId(page, 'chat-rename-form').locator('[data-testid="error-title"]').waitFor();
          await byTestId(page, 'chat-rename-input').fill('Plan de lancement été');
          await byTestId(page, 'chat-rename-save').click();
          await eventually(
            async () => (await byTestId(page, 'chat-title').textContent()) === 'Plan de lancement été',
            'the title did not change',
          );
          await byTestId(page, 'chat-item').filter({ hasText: 'Plan de lancement été' }).waitFor();
        },
      ],
      [
        'the conversation is deleted after a confirmation',
        async () => {
          await byTestId(page, 'chat-delete').click();
          await byTestId(page, 'chat-delete-confirm').click();
          await byTestId(page, 'chat-empty').waitFor();
          await byTestId(page, 'chat-list-empty').waitFor();
        },
      ],
      [
        'auto-replies: the API’s field error shows next to the name, then a keyword rule is created and listed',
        async () => {
          await byTestId(page, 'nav-auto-replies').click();
          await byTestId(page, 'rules-empty').waitFor();
          await byTestId(page, 'inbox-empty').waitFor();
          await byTestId(page, 'rule-new').click();
          await byTestId(page, 'rule-save').click();
          await byTestId(page, 'rule-form').locator('[data-testid="error-name"]').waitFor();
          await byTestId(page, 'rule-name').fill(rule.name);
          await byTestId(page, 'rule-priority').fill('10');
          await byTestId(page, 'keywords-input').fill(rule.keyword);
          await byTestId(page, 'keywords-input').press('Enter');
          await byTestId(page, 'rule-template').fill(rule.template);
          await byTestId(page, 'rule-save').click();
          const row = byTestId(page, 'rule-row').filter({ hasText: rule.name });
          await row.waitFor();
          check((await row.textContent())?.includes(rule.keyword), 'the keyword is not listed');
          check((await byTestId(page, 'rule-form').count()) === 0, 'the form stayed open');
        },
      ],
      [
        'a fan message in the inbox is answered by the rule',
        async () => {
          await byTestId(page, 'inbox-fan-handle').fill('sunny_fan');
          await byTestId(page, 'inbox-fan-name').fill('Sunny');
          await byTestId(page, 'inbox-body').fill('Hello! What is the price of the VIP tier?');
          await byTestId(page, 'inbox-send').click();
          const notice = byTestId(page, 'inbox-auto-reply');
          await notice.waitFor();
          check(
            (await notice.textContent())?.includes(rule.name),
            `expected the rule’s name: ${await notice.textContent()}`,
          );
          const reply = byTestId(page, 'inbox-message').and(page.locator('[data-author="auto_reply"]'));
          await reply.filter({ hasText: 'Hi Sunny, the VIP tier is $20 a month.' }).waitFor();
          await byTestId(page, 'inbox-item').filter({ hasText: 'Sunny' }).waitFor();
          await page.screenshot({ path: shot('-auto-replies'), fullPage: true });
        },
      ],
      [
        'agents: the API’s field error, then an agent is created, listed, opened and run now',
        async () => {
          await byTestId(page, 'nav-agents').click();
          await byTestId(page, 'agents-empty').waitFor();
          await byTestId(page, 'agent-new').click();
          await byTestId(page, 'agent-save').click();
          await byTestId(page, 'agent-form').locator('[data-testid="error-name"]').waitFor();
          await byTestId(page, 'agent-name').fill('Lead scorer');
          await byTestId(page, 'agent-save').click();
          const row = byTestId(page, 'agent-row').filter({ hasText: 'Lead scorer' });
          await row.waitFor();
          await row.locator('[data-testid="agent-open"]').click();
          await byTestId(page, 'agent-detail').waitFor();
          await byTestId(page, 'agent-run').click();
          await byTestId(page, 'agent-notice').waitFor();
          // the worker runs it: the list's "Last run" follows without a reload
          await eventually(
            async () => !((await row.textContent()) ?? 'Never').includes('Never'),
            'the list still says "Last run: Never" after the run',
            60_000,
          );
          await page.screenshot({ path: shot('-agents'), fullPage: true });
        },
      ],
    ];
    await run.steps(steps);
    console.log(`  screenshots: ${screenshotPath}, ${shot('-auto-replies')} (base ${baseUrl})`);
    await run.checkProblems();
  } catch (error) {
    run.fail(error);
  }
}

const run = new BrowserRun();
void main(run).finally(() => run.close('ai browser'));
