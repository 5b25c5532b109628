/**
 * Browser test of the Studio, run by scripts/test-browser.sh (the API's AI_PROVIDERS point at the fake
 * OpenAI servers, which also answer images, speech and transcriptions): a clip dropped on the library
 * uploads with its progress, shows in the grid with its poster, opens and plays in the page (from its signed
 * link, seeking with Range); the AI image form generates an image shown in the page; the composition editor
 * composes two clips, follows the job's progress to the end and plays the result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BrowserRun, byTestId, check, eventually, newUser, signUpAndIn, type Step } from './harness';
import { ffmpegPath } from '../../libs/studio/src/ffmpeg-binaries';

const run = promisify(execFile);
const screenshotPath = process.env.STUDIO_SCREENSHOT_PATH ?? '/tmp/crescendo-studio.png';
const shot = (name: string) => screenshotPath.replace(/\.png$/, `${name}.png`);
const user = newUser('Studio');

// The test runs in Node (no DOM types): the parts of the elements the page's scripts read.
interface MediaElement {
  muted: boolean;
  play(): Promise<void>;
  currentTime: number;
  readyState: number;
}
interface PictureElement {
  complete: boolean;
  naturalWidth: number;
}

/** A 3-second WebM (VP8 + Opus): every Chromium build plays it. */
async function clip(dir: string, name: string, color: string): Promise<string> {
  const path = join(dir, name);
  await run(ffmpegPath(), [
    ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180:d=3:r=25`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3'],
    ...['-c:v', 'libvpx', '-b:v', '300k', '-c:a', 'libopus', '-shortest', path],
  ]);
  return path;
}

async function main(browser: BrowserRun): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crescendo-studio-browser-'));
  try {
    const files = [await clip(dir, 'intro.webm', 'blue'), await clip(dir, 'outro.webm', 'orange')];
    const page = await browser.open();
    const video = (testId: string) => byTestId(page, testId);
    /** Plays a <video> of the page and waits until it has moved past 0.3 s. */
    const plays = async (testId: string) => {
      await eventually(
        async () =>
          video(testId).evaluate(async (el) => {
            const media = el as unknown as MediaElement;
            media.muted = true;
            await media.play().catch(() => undefined);
            return media.currentTime > 0.3 && media.readyState >= 2;
          }),
        `${testId} does not play`,
        20_000,
      );
    };
    const steps: Step[] = [
      [
        'the studio opens on an empty library',
        async () => {
          await signUpAndIn(page, user);
          await byTestId(page, 'nav-studio').click();
          await byTestId(page, 'studio-empty').waitFor();
        },
      ],
      [
        'two clips dropped on the library upload with their progress and show in the grid with a poster',
        async () => {
          await byTestId(page, 'studio-dropzone').locator('input[type="file"]').setInputFiles(files);
          await eventually(
            async () => (await page.locator('[data-testid="studio-upload"][data-done="true"]').count()) === 2,
            'the uploads did not finish',
            30_000,
          );
          const cards = page.locator('[data-testid="studio-asset"][data-kind="video"]');
          await eventually(async () => (await cards.count()) === 2, 'the grid does not show the two clips');
          await eventually(
            async () =>
              cards
                .first()
                .locator('img')
                .evaluate(
                  (img) =>
                    (img as unknown as PictureElement).complete && (img as unknown as PictureElement).naturalWidth > 0,
                ),
            'the poster did not load',
          );
          await page.screenshot({ path: shot('-library'), fullPage: true });
        },
      ],
      [
        'a clip opens with its metadata and plays in the page',
        async () => {
          await page.locator('[data-testid="studio-asset"][data-kind="video"]').first().click();
          await byTestId(page, 'asset-detail').waitFor();
          const duration = await byTestId(page, 'asset-duration').textContent();
          check(duration?.startsWith('3.0'), `expected a 3 s clip, the page says ${duration}`);
          await plays('asset-player');
          await page.screenshot({ path: shot('-player') });
          await page.keyboard.press('Escape');
        },
      ],
      [
        'the AI image form generates an image shown in the page',
        async () => {
          await byTestId(page, 'studio-tab-image').click();
          await byTestId(page, 'ai-image-prompt').fill('A lighthouse at dawn');
          await byTestId(page, 'ai-image-submit').click();
          await eventually(
            async () =>
              byTestId(page, 'ai-image-result').evaluate(
                (img) => (img as unknown as PictureElement).naturalWidth === 1024,
              ),
            'the generated image is not shown',
            30_000,
          );
          await page.screenshot({ path: shot('-ai-image'), fullPage: true });
        },
      ],
    ];
    steps.push([
      'the composition editor composes the two clips with a fade, follows the job and plays the result',
      async () => {
        await byTestId(page, 'studio-tab-compose').click();
        for (let i = 0; i < 2; i++) {
          await byTestId(page, 'compose-pick').click();
          await page.getByRole('option').nth(i).click();
          await byTestId(page, 'compose-add').click();
        }
        check((await byTestId(page, 'compose-clip').count()) === 2, 'the two clips are not in the timeline');
        await byTestId(page, 'compose-submit').click();
        await byTestId(page, 'compose-progress').waitFor();
        await eventually(
          async () => (await byTestId(page, 'compose-job').getAttribute('data-status')) === 'COMPLETED',
          'the composition did not complete',
          120_000,
        );
        await plays('compose-result');
        await page.screenshot({ path: shot('-compose'), fullPage: true });
      },
    ]);
    await browser.steps(steps);
    console.log(`  screenshots: ${shot('-library')}, ${shot('-player')}, ${shot('-ai-image')}, ${shot('-compose')}`);
    await browser.checkProblems();
  } catch (error) {
    browser.fail(error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const browser = new BrowserRun();
void main(browser).finally(() => browser.close('studio browser'));
