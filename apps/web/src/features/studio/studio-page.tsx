import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Image,
  Modal,
  NumberInput,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css';
import './studio.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetResponseDto, JobResponseDto } from '@crescendo/api-client';
import { isQueued, studioApi, type ComposeClip, type StudioJob } from '../../api/studio-endpoints';
import { FormError, formatBytes } from '../../components';
import { useJob } from '../../job-progress';

type Asset = AssetResponseDto;
type Kind = Asset['kind'];

const KINDS: Kind[] = ['video', 'image', 'audio', 'document', 'text'];
const ASSETS_KEY = ['studio', 'assets'] as const;
const TRANSITIONS = ['fade', 'dissolve', 'wipeleft', 'slideleft', 'none'] as const;

const seconds = (value: number | null) => (value === null ? '' : `${value.toFixed(1)} s`);

/** Seed 002's studio: the library, AI image / voice-over / subtitles forms and the composition editor. */
export function StudioPage() {
  const { t } = useTranslation();
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('studio.title')}</h1>
          <p className="muted">{t('studio.subtitle')}</p>
        </div>
      </header>
      <Tabs defaultValue="library" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="library" data-testid="studio-tab-library">
            {t('studio.tabLibrary')}
          </Tabs.Tab>
          <Tabs.Tab value="image" data-testid="studio-tab-image">
            {t('studio.tabImage')}
          </Tabs.Tab>
          <Tabs.Tab value="voice" data-testid="studio-tab-voice">
            {t('studio.tabVoice')}
          </Tabs.Tab>
          <Tabs.Tab value="subtitles" data-testid="studio-tab-subtitles">
            {t('studio.tabSubtitles')}
          </Tabs.Tab>
          <Tabs.Tab value="compose" data-testid="studio-tab-compose">
            {t('studio.tabCompose')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="library" pt="md">
          <Library />
        </Tabs.Panel>
        <Tabs.Panel value="image" pt="md">
          <ImageForm />
        </Tabs.Panel>
        <Tabs.Panel value="voice" pt="md">
          <VoiceForm />
        </Tabs.Panel>
        <Tabs.Panel value="subtitles" pt="md">
          <SubtitlesForm />
        </Tabs.Panel>
        <Tabs.Panel value="compose" pt="md">
          <ComposeEditor />
        </Tabs.Panel>
      </Tabs>
    </section>
  );
}

/** The workspace's assets of some kinds (pickers of the forms). */
function useAssets(kinds: Kind[]) {
  return useQuery({
    queryKey: [...ASSETS_KEY, 'picker', kinds.join(',')],
    queryFn: async () =>
      (await Promise.all(kinds.map((kind) => studioApi.listAssets({ kind, limit: 100 })))).flatMap((p) => p.data),
  });
}

function Library() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<Asset | null>(null);
  const assets = useQuery({
    queryKey: [...ASSETS_KEY, 'list', kind, q],
    queryFn: () => studioApi.listAssets({ ...(kind ? { kind: kind as Kind } : {}), ...(q ? { q } : {}) }),
  });
  const storage = useQuery({ queryKey: [...ASSETS_KEY, 'storage'], queryFn: studioApi.storage });
  return (
    <Stack>
      <UploadZone />
      {storage.data && (
        <Text size="sm" c="dimmed" data-testid="studio-storage">
          {storage.data.total === null
            ? t('studio.storageUnlimited', { used: formatBytes(storage.data.used) })
            : t('studio.storage', { used: formatBytes(storage.data.used), total: formatBytes(storage.data.total) })}
        </Text>
      )}
      <Group>
        <Select
          label={t('studio.filterKind')}
          placeholder={t('studio.allKinds')}
          data={KINDS.map((k) => ({ value: k, label: t(`studio.kind.${k}`) }))}
          value={kind}
          onChange={setKind}
          clearable
          data-testid="studio-filter-kind"
        />
        <TextInput
          label={t('studio.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="studio-filter-q"
        />
      </Group>
      {assets.isError && <FormError error={assets.error} />}
      {assets.data && assets.data.data.length === 0 && (
        <p className="muted" data-testid="studio-empty">
          {t('studio.empty')}
        </p>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} data-testid="studio-grid">
        {assets.data?.data.map((asset) => (
          <Card
            key={asset.id}
            withBorder
            padding="xs"
            component="button"
            type="button"
            onClick={() => setOpen(asset)}
            data-testid="studio-asset"
            data-kind={asset.kind}
            className="studio-card"
          >
            <Card.Section>
              {asset.signedThumbnailUrl ? (
                <Image src={asset.signedThumbnailUrl} alt={asset.title} h={140} fit="cover" />
              ) : (
                <div className="studio-placeholder">{t(`studio.kind.${asset.kind}`)}</div>
              )}
            </Card.Section>
            <Text size="sm" fw={500} truncate mt="xs">
              {asset.title}
            </Text>
            <Group gap={4}>
              <Badge size="xs" variant="light">
                {t(`studio.kind.${asset.kind}`)}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatBytes(asset.size)} {seconds(asset.durationSeconds)}
              </Text>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      <AssetDetail asset={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

interface UploadState {
  name: string;
  percent: number;
  error?: unknown;
}

function UploadZone() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const onDrop = async (files: File[]) => {
    const start = uploads.length;
    setUploads((u) => [...u, ...files.map((f) => ({ name: f.name, percent: 0 }))]);
    // One after the other: each streams at full speed and the quota is checked in order.
    for (const [i, file] of files.entries()) {
      const update = (patch: Partial<UploadState>) =>
        setUploads((u) => u.map((item, j) => (j === start + i ? { ...item, ...patch } : item)));
      try {
        await studioApi.upload(file, (percent) => update({ percent }));
        update({ percent: 100 });
      } catch (error) {
        update({ error });
      }
      await queryClient.invalidateQueries({ queryKey: ASSETS_KEY });
    }
  };
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(files) => void onDrop(files)}
        data-testid="studio-dropzone"
        maxSize={100 * 1024 * 1024}
        inputProps={{ 'aria-label': t('studio.dropTitle') }}
      >
        <Stack align="center" gap={4} py="md">
          <Text fw={500}>{t('studio.dropTitle')}</Text>
          <Text size="sm" c="dimmed">
            {t('studio.dropHint')}
          </Text>
        </Stack>
      </Dropzone>
      {uploads.map((u, i) => (
        <div key={i} data-testid="studio-upload" data-done={u.percent === 100 && !u.error ? 'true' : 'false'}>
          <Group justify="space-between">
            <Text size="sm">{u.name}</Text>
            <Text size="xs" c="dimmed">
              {u.error ? t('studio.uploadFailed') : `${u.percent} %`}
            </Text>
          </Group>
          <Progress value={u.percent} color={u.error ? 'red' : undefined} aria-label={u.name} />
          {u.error ? <FormError error={u.error} /> : null}
        </div>
      ))}
    </Stack>
  );
}

/** The file itself, as the browser plays it: the signed link (no Authorization header), seeking with Range. */
function Player({ asset, testId = 'asset-player' }: { asset: Asset; testId?: string }) {
  if (asset.kind === 'video') {
    return <video src={asset.signedUrl} controls preload="metadata" className="studio-player" data-testid={testId} />;
  }
  if (asset.kind === 'audio') return <audio src={asset.signedUrl} controls preload="metadata" data-testid={testId} />;
  if (asset.kind === 'image')
    return <img src={asset.signedUrl} alt={asset.title} className="studio-player" data-testid={testId} />;
  return (
    <a href={asset.signedUrl} target="_blank" rel="noreferrer" data-testid={testId}>
      {asset.originalName}
    </a>
  );
}

function AssetDetail({ asset, onClose }: { asset: Asset | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => studioApi.deleteAsset(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ASSETS_KEY });
      onClose();
    },
  });
  const streams = (asset?.metadata.streams ?? []) as { type: string; codec: string }[];
  return (
    <Modal opened={!!asset} onClose={onClose} title={asset?.title} size="lg">
      {asset && (
        <Stack data-testid="asset-detail">
          <Player asset={asset} />
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('studio.type')}</Table.Th>
                <Table.Td>{asset.mimeType}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('studio.size')}</Table.Th>
                <Table.Td>{formatBytes(asset.size)}</Table.Td>
              </Table.Tr>
              {asset.width !== null && (
                <Table.Tr>
                  <Table.Th>{t('studio.dimensions')}</Table.Th>
                  <Table.Td>
                    {asset.width} × {asset.height}
                  </Table.Td>
                </Table.Tr>
              )}
              {asset.durationSeconds !== null && (
                <Table.Tr>
                  <Table.Th>{t('studio.duration')}</Table.Th>
                  <Table.Td data-testid="asset-duration">{seconds(asset.durationSeconds)}</Table.Td>
                </Table.Tr>
              )}
              {streams.length > 0 && (
                <Table.Tr>
                  <Table.Th>{t('studio.codecs')}</Table.Th>
                  <Table.Td>{streams.map((s) => `${s.type}: ${s.codec}`).join(', ')}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th>{t('studio.source')}</Table.Th>
                <Table.Td>{asset.source}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group>
            <Button component="a" href={asset.signedUrl} download={asset.originalName} variant="light">
              {t('studio.download')}
            </Button>
            <Button color="red" variant="subtle" loading={remove.isPending} onClick={() => remove.mutate(asset.id)}>
              {t('common.delete')}
            </Button>
          </Group>
          {remove.isError && <FormError error={remove.error} />}
        </Stack>
      )}
    </Modal>
  );
}

/**
 * The asset an AI form produced: answered at once (200) or queued (202, followed through GET /api/jobs/:id);
 * either way the output names the asset, shown with its player.
 */
function useProduced<T extends object>() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [output, setOutput] = useState<T | null>(null);
  const job = useJob(jobId);
  useEffect(() => {
    const done = job.data as JobResponseDto | undefined;
    if (done?.status === 'COMPLETED' && done.result) setOutput(done.result as T);
  }, [job.data]);
  const accept = (answer: object) => {
    if (isQueued(answer)) {
      setOutput(null);
      setJobId(answer.jobId);
    } else {
      setJobId(null);
      setOutput((answer as { output: T }).output);
    }
  };
  return { output, job: job.data as JobResponseDto | undefined, accept };
}

function ProducedAsset({ id, testId }: { id: string; testId: string }) {
  const asset = useQuery({ queryKey: [...ASSETS_KEY, 'one', id], queryFn: () => studioApi.getAsset(id) });
  return asset.data ? <Player asset={asset.data} testId={testId} /> : null;
}

function JobLine({ job }: { job?: JobResponseDto }) {
  if (!job || job.status === 'COMPLETED') return null;
  return (
    <div data-testid="studio-job" data-status={job.status}>
      <Progress value={job.progress} animated={job.status !== 'FAILED'} />
      {job.error && <FormError error={new Error(job.error.message)} />}
    </div>
  );
}

/** A generator's request, the job it may queue, and what it made; the assets list refetches after it. */
function useGenerator<T extends object>(request: () => Promise<object>) {
  const queryClient = useQueryClient();
  const produced = useProduced<T>();
  const generate = useMutation({
    mutationFn: request,
    onSuccess: async (answer) => {
      produced.accept(answer);
      await queryClient.invalidateQueries({ queryKey: ASSETS_KEY });
    },
  });
  return { generate, produced };
}

/**
 * A generator's form (test ids `ai-<name>-form` and `ai-<name>-submit`): its fields, the button, the refusal,
 * the job's progress, then `result`, what it made.
 */
function GeneratorForm({
  name,
  width,
  generator,
  result,
  children,
}: {
  name: string;
  width: number;
  generator: ReturnType<typeof useGenerator<object>>;
  result: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { generate, produced } = generator;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        generate.mutate();
      }}
      data-testid={`ai-${name}-form`}
    >
      <Stack maw={width}>
        {children}
        <Button type="submit" loading={generate.isPending} data-testid={`ai-${name}-submit`}>
          {t('studio.generate')}
        </Button>
        {generate.isError && <FormError error={generate.error} />}
        <JobLine job={produced.job} />
        {result}
      </Stack>
    </form>
  );
}

function ImageForm() {
  const { t } = useTranslation();
  const [prompt, setPrompt] = useState('');
  const [size, setSize] = useState<'1024x1024' | '1792x1024' | '1024x1792'>('1024x1024');
  const [quality, setQuality] = useState<'standard' | 'hd'>('standard');
  const generator = useGenerator<{ assetIds: string[] }>(() => studioApi.image({ prompt, size, quality }));
  const produced = generator.produced;
  return (
    <GeneratorForm
      name="image"
      width={640}
      generator={generator}
      result={
        produced.output?.assetIds[0] && <ProducedAsset id={produced.output.assetIds[0]} testId="ai-image-result" />
      }
    >
      <Textarea
        label={t('studio.prompt')}
        value={prompt}
        onChange={(e) => setPrompt(e.currentTarget.value)}
        required
        autosize
        minRows={2}
        data-testid="ai-image-prompt"
      />
      <Select
        label={t('studio.imageSize')}
        data={['1024x1024', '1792x1024', '1024x1792']}
        value={size}
        onChange={(v) => v && setSize(v as typeof size)}
        allowDeselect={false}
      />
      <SegmentedControl
        value={quality}
        onChange={(v) => setQuality(v as typeof quality)}
        data={[
          { value: 'standard', label: t('studio.qualityStandard') },
          { value: 'hd', label: t('studio.qualityHd') },
        ]}
      />
    </GeneratorForm>
  );
}

const VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer'] as const;

function VoiceForm() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [voice, setVoice] = useState<(typeof VOICES)[number]>('alloy');
  const [speed, setSpeed] = useState<number>(1);
  const generator = useGenerator<{ assetId: string }>(() => studioApi.voice({ text, voice, speed }));
  const produced = generator.produced;
  return (
    <GeneratorForm
      name="voice"
      width={640}
      generator={generator}
      result={produced.output?.assetId && <ProducedAsset id={produced.output.assetId} testId="ai-voice-result" />}
    >
      <Textarea
        label={t('studio.voiceText')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        required
        autosize
        minRows={3}
        maxLength={4096}
        data-testid="ai-voice-text"
      />
      <Group grow>
        <Select
          label={t('studio.voice')}
          data={[...VOICES]}
          value={voice}
          onChange={(v) => v && setVoice(v as typeof voice)}
          allowDeselect={false}
        />
        <NumberInput
          label={t('studio.speed')}
          value={speed}
          onChange={(v) => setSpeed(Number(v) || 1)}
          min={0.25}
          max={4}
          step={0.25}
          decimalScale={2}
        />
      </Group>
    </GeneratorForm>
  );
}

interface Cue {
  start: number;
  end: number;
  text: string;
}

function SubtitlesForm() {
  const { t } = useTranslation();
  const media = useAssets(['audio', 'video']);
  const [assetId, setAssetId] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [language, setLanguage] = useState('');
  const generator = useGenerator<{ subtitles: Cue[]; assetId: string }>(() => {
    const chosen = media.data?.find((a) => a.id === assetId);
    return studioApi.subtitles({ audioUrl: chosen?.url ?? url, ...(language ? { language } : {}) });
  });
  const produced = generator.produced;
  return (
    <GeneratorForm
      name="subtitles"
      width={720}
      generator={generator}
      result={
        produced.output && (
          <>
            <Table data-testid="ai-subtitles-result">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('studio.cueStart')}</Table.Th>
                  <Table.Th>{t('studio.cueEnd')}</Table.Th>
                  <Table.Th>{t('studio.cueText')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {produced.output.subtitles.map((cue, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{seconds(cue.start)}</Table.Td>
                    <Table.Td>{seconds(cue.end)}</Table.Td>
                    <Table.Td>{cue.text}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <SignedLink id={produced.output.assetId} label={t('studio.downloadSrt')} />
          </>
        )
      }
    >
      <Select
        label={t('studio.audioAsset')}
        data={(media.data ?? []).map((a) => ({ value: a.id, label: a.title }))}
        value={assetId}
        onChange={setAssetId}
        clearable
        searchable
        data-testid="ai-subtitles-asset"
      />
      <TextInput
        label={t('studio.audioUrl')}
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
        disabled={!!assetId}
        placeholder={t('studio.audioUrlPlaceholder')}
      />
      <TextInput
        label={t('studio.language')}
        value={language}
        onChange={(e) => setLanguage(e.currentTarget.value.toLowerCase())}
        maxLength={2}
        placeholder={t('studio.languagePlaceholder')}
        w={120}
      />
    </GeneratorForm>
  );
}

function SignedLink({ id, label }: { id: string; label: string }) {
  const asset = useQuery({ queryKey: [...ASSETS_KEY, 'one', id], queryFn: () => studioApi.getAsset(id) });
  return asset.data ? (
    <a href={asset.data.signedUrl} download={asset.data.originalName} data-testid="ai-subtitles-srt">
      {label}
    </a>
  ) : null;
}

/** The composed video's asset: named by the output, or by its /api/studio/assets/:id/download URL. */
function resultAssetId(job: StudioJob): string | null {
  return (
    job.output?.assetId ?? /\/api\/studio\/assets\/([0-9a-f-]{36})\//.exec(job.output?.videoUrl ?? '')?.[1] ?? null
  );
}

interface EditorClip extends ComposeClip {
  key: number;
  assetId: string;
}

/**
 * The composition editor: ordered clips with in and out points, a transition between each two, music and
 * subtitles; posts to POST /api/studio/video/compose and follows GET /api/studio/jobs/:jobId to the result.
 */
function ComposeEditor() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const visuals = useAssets(['video', 'image']);
  const audio = useAssets(['audio']);
  const texts = useAssets(['text']);
  const [clips, setClips] = useState<EditorClip[]>([]);
  const [transitions, setTransitions] = useState<string[]>([]);
  const [music, setMusic] = useState<string | null>(null);
  const [subtitles, setSubtitles] = useState<string | null>(null);
  const [format, setFormat] = useState<'mp4' | 'webm'>('mp4');
  const [pick, setPick] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const byId = (list: Asset[] | undefined, id: string | null) => list?.find((a) => a.id === id);
  const job = useQuery({
    queryKey: ['studio', 'job', jobId],
    queryFn: () => studioApi.studioJob(jobId!),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && ['COMPLETED', 'FAILED'].includes(q.state.data.status) ? false : 1000),
  });
  useEffect(() => {
    if (job.data?.status === 'COMPLETED') void queryClient.invalidateQueries({ queryKey: ASSETS_KEY });
  }, [job.data?.status, queryClient]);
  const add = () => {
    const asset = byId(visuals.data, pick);
    if (!asset) return;
    const end = asset.durationSeconds ?? 3;
    setClips((c) => [...c, { key: Date.now(), assetId: asset.id, url: asset.url, startTime: 0, endTime: end }]);
    if (clips.length > 0) setTransitions((tr) => [...tr, 'fade']);
    setPick(null);
  };
  const move = (i: number, by: number) =>
    setClips((c) => {
      const next = [...c];
      [next[i], next[i + by]] = [next[i + by], next[i]];
      return next;
    });
  const removeAt = (i: number) => {
    setClips((c) => c.filter((_, j) => j !== i));
    setTransitions((tr) => tr.filter((_, j) => j !== Math.max(0, i - 1)));
  };
  const patch = (i: number, values: Partial<EditorClip>) =>
    setClips((c) => c.map((clip, j) => (j === i ? { ...clip, ...values } : clip)));
  const compose = useMutation({
    mutationFn: () =>
      studioApi.compose({
        clips: clips.map(({ url, startTime, endTime }) => ({ url, startTime, endTime })),
        transitions,
        ...(music ? { music: byId(audio.data, music)!.url } : {}),
        ...(subtitles ? { subtitles: byId(texts.data, subtitles)!.url } : {}),
        outputFormat: format,
      }),
    onSuccess: (answer) => setJobId(answer.jobId),
  });
  const current: StudioJob | undefined = job.data;
  return (
    <Stack maw={900} data-testid="compose-editor">
      <Group align="end">
        <Select
          label={t('studio.addClip')}
          data={(visuals.data ?? []).map((a) => ({ value: a.id, label: `${a.title} (${t(`studio.kind.${a.kind}`)})` }))}
          value={pick}
          onChange={setPick}
          searchable
          data-testid="compose-pick"
        />
        <Button onClick={add} disabled={!pick} data-testid="compose-add">
          {t('studio.add')}
        </Button>
      </Group>
      {clips.length === 0 && <p className="muted">{t('studio.noClips')}</p>}
      {clips.map((clip, i) => {
        const asset = byId(visuals.data, clip.assetId);
        const max = asset?.durationSeconds ?? undefined;
        return (
          <Stack key={clip.key} gap={4}>
            {i > 0 && (
              <Select
                size="xs"
                w={200}
                label={t('studio.transition')}
                data={TRANSITIONS.map((v) => ({ value: v, label: t(`studio.transitions.${v}`) }))}
                value={transitions[i - 1] ?? 'fade'}
                onChange={(v) => setTransitions((tr) => tr.map((x, j) => (j === i - 1 ? (v ?? 'fade') : x)))}
                allowDeselect={false}
              />
            )}
            <Card withBorder padding="xs" data-testid="compose-clip">
              <Group align="end">
                <Text fw={500} w={200} truncate>
                  {i + 1}. {asset?.title}
                </Text>
                <NumberInput
                  label={t('studio.in')}
                  value={clip.startTime}
                  min={0}
                  max={clip.endTime}
                  step={0.5}
                  decimalScale={2}
                  onChange={(v) => patch(i, { startTime: Number(v) || 0 })}
                  w={110}
                />
                <NumberInput
                  label={t('studio.out')}
                  value={clip.endTime}
                  min={clip.startTime}
                  max={max}
                  step={0.5}
                  decimalScale={2}
                  onChange={(v) => patch(i, { endTime: Number(v) || 0 })}
                  w={110}
                />
                <ActionIcon variant="subtle" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('studio.up')}>
                  ↑
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  disabled={i === clips.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('studio.down')}
                >
                  ↓
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" onClick={() => removeAt(i)} aria-label={t('common.delete')}>
                  ×
                </ActionIcon>
              </Group>
            </Card>
          </Stack>
        );
      })}
      <Group grow>
        <Select
          label={t('studio.music')}
          data={(audio.data ?? []).map((a) => ({ value: a.id, label: a.title }))}
          value={music}
          onChange={setMusic}
          clearable
        />
        <Select
          label={t('studio.subtitlesTrack')}
          data={(texts.data ?? []).map((a) => ({ value: a.id, label: a.title }))}
          value={subtitles}
          onChange={setSubtitles}
          clearable
        />
        <Select
          label={t('studio.format')}
          data={['mp4', 'webm']}
          value={format}
          onChange={(v) => v && setFormat(v as typeof format)}
          allowDeselect={false}
        />
      </Group>
      <Button
        onClick={() => compose.mutate()}
        disabled={clips.length === 0}
        loading={compose.isPending}
        data-testid="compose-submit"
      >
        {t('studio.compose')}
      </Button>
      {compose.isError && <FormError error={compose.error} />}
      {current && (
        <Stack gap={4} data-testid="compose-job" data-status={current.status}>
          <Group justify="space-between">
            <Text size="sm">{t(`studio.jobStatus.${current.status}`)}</Text>
            <Text size="sm">{current.progress} %</Text>
          </Group>
          <Progress
            value={current.progress}
            animated={current.status === 'PROCESSING'}
            data-testid="compose-progress"
          />
          {current.error && <FormError error={new Error(current.error.message)} />}
          {current.status === 'COMPLETED' && resultAssetId(current) && (
            <ProducedAsset id={resultAssetId(current)!} testId="compose-result" />
          )}
        </Stack>
      )}
    </Stack>
  );
}
