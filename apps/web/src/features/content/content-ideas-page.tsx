import { i18n } from '../../i18n';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import type { ContentIdeasOptionsDto, CreatorProfileDto } from '@crescendo/api-client';
import { aiApi } from '../../api/ai-endpoints';
import { useAuth } from '../../auth';
import { Empty, Field, FieldMessage, FormError, SelectField, TagInput, formatMoney, humanize } from '../../components';

/** The message of a value the API may extend, else the value in words. */
const labelOr = (key: string, value: string) => (i18n.exists(key) ? i18n.t(key) : humanize(value));

const CONTENT_TYPES = ['photo', 'video', 'story', 'live'] as const;
const PLATFORMS = ['onlyfans', 'instagram', 'tiktok'] as const;
const CREATIVITY = ['conservative', 'balanced', 'creative'] as const;

/** Content ideas for a creator profile, shown as cards. */
interface IdeasValues {
  niche: string[];
  goals: string[];
  types: string[];
  platforms: string[];
  count: string;
  creativity: (typeof CREATIVITY)[number];
  hashtags: boolean;
  captions: boolean;
  provider: string;
}

export function ContentIdeasPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const providers = useQuery({ queryKey: ['ai', 'providers'], queryFn: aiApi.listProviders, staleTime: 60_000 });
  const form = useForm<IdeasValues>({
    initialValues: {
      niche: [],
      goals: [],
      types: ['photo', 'video'],
      platforms: ['onlyfans'],
      count: '5',
      creativity: 'balanced',
      hashtags: true,
      captions: true,
      provider: '',
    },
  });
  const { niche, goals, types, platforms, count, creativity, hashtags, captions, provider } = form.values;
  const setter =
    <K extends keyof IdeasValues>(key: K) =>
    (value: IdeasValues[K]) =>
      form.setFieldValue(key, value as never);
  const setNiche = setter('niche');
  const setGoals = setter('goals');
  const setTypes = setter('types');
  const setPlatforms = setter('platforms');
  const setCount = setter('count');
  const setCreativity = setter('creativity');
  const setHashtags = setter('hashtags');
  const setCaptions = setter('captions');
  const setProvider = setter('provider');
  const mutation = useMutation({
    meta: { toast: false },
    mutationFn: () =>
      aiApi.generateContentIdeas({
        creatorProfile: {
          id: me?.user.id ?? 'me',
          niche,
          contentTypes: types as CreatorProfileDto['contentTypes'],
          ...(goals.length ? { currentGoals: goals } : {}),
        },
        options: {
          count: Number(count),
          creativity,
          targetPlatforms: platforms as ContentIdeasOptionsDto['targetPlatforms'],
          includeHashtags: hashtags,
          includeCaptions: captions,
        },
        ...(provider ? { provider } : {}),
      }),
  });
  const toggle = (list: string[], set: (v: string[]) => void, value: string) =>
    set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const submit = form.onSubmit(() => mutation.mutate());
  const err = mutation.error;
  const result = mutation.data;
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('pages.contentIdeasTitle')}</h1>
          <p className="muted">{t('pages.contentIdeasSubtitle')}</p>
        </div>
      </header>
      <form className="card" onSubmit={submit} noValidate data-testid="ideas-form">
        <FormError error={err} testId="ideas-error" />
        <div className="row">
          <TagInput
            label={t('ideas.niche')}
            name="niche"
            value={niche}
            onChange={setNiche}
            error={err}
            placeholder={t('ideas.nichePlaceholder')}
          />
          <TagInput label={t('ideas.goals')} name="currentGoals" value={goals} onChange={setGoals} error={err} />
        </div>
        <fieldset>
          <legend>{t('ideas.contentTypes')}</legend>
          {CONTENT_TYPES.map((type) => (
            <label className="check" key={type}>
              <input type="checkbox" checked={types.includes(type)} onChange={() => toggle(types, setTypes, type)} />
              {t(`ideas.types.${type}`)}
            </label>
          ))}
          <FieldMessage name="contentTypes" error={err} />
        </fieldset>
        <fieldset>
          <legend>{t('ideas.platforms')}</legend>
          {PLATFORMS.map((p) => (
            <label className="check" key={p}>
              <input
                type="checkbox"
                checked={platforms.includes(p)}
                onChange={() => toggle(platforms, setPlatforms, p)}
                data-testid={`ideas-platform-${p}`}
              />
              {t(`ideas.platformNames.${p}`)}
            </label>
          ))}
          <FieldMessage name="targetPlatforms" error={err} />
        </fieldset>
        <div className="row">
          <Field
            label={t('ideas.count')}
            name="count"
            type="number"
            min={1}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            error={err}
            data-testid="ideas-count"
          />
          <SelectField
            label={t('ideas.creativity')}
            name="creativity"
            value={creativity}
            options={CREATIVITY.map((c) => ({ value: c, label: t(`ideas.creativities.${c}`) }))}
            onChange={(e) => setCreativity(e.target.value as typeof creativity)}
            error={err}
          />
          <SelectField
            label={t('ideas.provider')}
            name="provider"
            value={provider}
            placeholder={t('ideas.providerDefault')}
            options={(providers.data ?? []).map((p) => ({ value: p.name, label: p.name }))}
            onChange={(e) => setProvider(e.target.value)}
            error={err}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={hashtags} onChange={(e) => setHashtags(e.target.checked)} />{' '}
          {t('ideas.hashtags')}
        </label>
        <label className="check">
          <input type="checkbox" checked={captions} onChange={(e) => setCaptions(e.target.checked)} />{' '}
          {t('ideas.captions')}
        </label>
        <div className="actions">
          <button className="primary" type="submit" disabled={mutation.isPending} data-testid="ideas-generate">
            {mutation.isPending ? t('ideas.generating') : t('ideas.generate')}
          </button>
        </div>
      </form>
      {result &&
        (result.data.ideas.length === 0 ? (
          <Empty testId="ideas-empty">{t('ideas.none')}</Empty>
        ) : (
          <>
            <p className="muted">
              {result.meta.provider} · {result.meta.model} · {(result.meta.duration / 1000).toFixed(1)} s
            </p>
            <div className="idea-grid" data-testid="ideas">
              {result.data.ideas.map((idea) => (
                <article className="card idea-card" key={idea.id} data-testid="idea-card">
                  <h3>{idea.title}</h3>
                  <div className="tags">
                    <span className="tag">{labelOr(`ideas.platformNames.${idea.platform}`, idea.platform)}</span>
                    <span className="tag">{labelOr(`ideas.types.${idea.contentType}`, idea.contentType)}</span>
                    <span className="tag">{idea.format}</span>
                    <span className="tag">{labelOr(`ideas.difficulties.${idea.difficulty}`, idea.difficulty)}</span>
                  </div>
                  <p>{idea.description}</p>
                  {idea.caption && <p className="muted">“{idea.caption}”</p>}
                  {idea.hashtags && idea.hashtags.length > 0 && <p className="muted">{idea.hashtags.join(' ')}</p>}
                  {idea.tips.length > 0 && (
                    <ul>
                      {idea.tips.map((tip) => (
                        <li key={tip}>{tip}</li>
                      ))}
                    </ul>
                  )}
                  <small className="muted">
                    {t('ideas.figures', {
                      time: idea.timeRequired,
                      engagement: idea.estimatedEngagement,
                      revenue: formatMoney(Math.round(idea.estimatedRevenue * 100), 'USD'),
                    })}
                  </small>
                </article>
              ))}
            </div>
          </>
        ))}
    </section>
  );
}
