import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { BackToList, useConversationParam } from '../../ui/conversation';
import type { AiProviderResponseDto, ChatMessageDto, ChatConversationDetailDto } from '@crescendo/api-client';
import { aiApi, readSse } from '../../api/ai-endpoints';
import { ApiError } from '../../api/errors';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import {
  ConfirmButton,
  Empty,
  Field,
  FieldMessage,
  FormError,
  Loading,
  QueryView,
  TagInput,
  formatDate,
  useDebounced,
} from '../../components';

const CHATS = ['chat', 'conversations'] as const;

interface Column {
  provider: string;
  model: string;
  content: string;
  error?: string;
  done: boolean;
}

interface LiveTurn {
  message: string;
  columns: Column[];
}

/** One message to several providers, answers side by side as they stream. */
export function ChatPage() {
  const { t } = useTranslation();
  const [selected, setSelected] = useConversationParam();
  // kept here so that the choice survives opening or creating a conversation
  const [choices, setChoices] = useState<Record<string, string>>({});
  return (
    <section className="chat-page">
      <header className="page-header">
        <div>
          <h1>{t('chat.title')}</h1>
          <p className="muted">{t('chat.subtitle')}</p>
        </div>
      </header>
      {/* on a phone an open conversation takes the whole width: the list is one tap back */}
      <div className={selected ? 'chat-layout has-selection' : 'chat-layout'}>
        <ChatSidebar selected={selected} onSelect={setSelected} />
        {selected && <BackToList onBack={() => setSelected(null)} label={t('chat.backToList')} />}
        <ChatMain
          key={selected ?? 'new'}
          conversationId={selected}
          onCreated={setSelected}
          onDeleted={() => setSelected(null)}
          choices={choices}
          setChoices={setChoices}
        />
      </div>
    </section>
  );
}

// ---------------------------------------------------------------- sidebar

function ChatSidebar({ selected, onSelect }: { selected: string | null; onSelect: (id: string | null) => void }) {
  const [folder, setFolder] = useState('');
  const [favorite, setFavorite] = useState(false);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const folders = useQuery({ queryKey: [...CHATS, 'folders'], queryFn: aiApi.listFolders });
  const list = useQuery({
    queryKey: [...CHATS, { folder, favorite }],
    queryFn: () =>
      aiApi.listChats({ ...(folder ? { folder } : {}), ...(favorite ? { favorite: 'true' as const } : {}) }),
  });
  const results = useQuery({ queryKey: [...CHATS, 'search', q], queryFn: () => aiApi.searchChats(q), enabled: !!q });
  return (
    <aside className="chat-sidebar card" data-testid="chat-sidebar">
      <button type="button" className="primary" onClick={() => onSelect(null)} data-testid="chat-new">
        {i18n.t('chat.new')}
      </button>
      <input
        type="search"
        placeholder={i18n.t('chat.search')}
        aria-label={i18n.t('chat.searchLabel')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="chat-search"
      />
      {q ? (
        <QueryView
          query={results}
          empty={i18n.t('chat.nothing')}
          emptyTestId="chat-search-empty"
          isEmpty={(r) => !r.results.length}
        >
          {(r) => (
            <ul className="chat-list">
              {r.results.map((hit) => (
                <li key={`${hit.conversation_id}-${hit.message_id ?? 'title'}`}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => onSelect(hit.conversation_id)}
                    data-testid="chat-search-hit"
                  >
                    <strong>{hit.title}</strong>
                    {/* The API marks matches with <mark>; everything else is escaped before. */}
                    <small dangerouslySetInnerHTML={{ __html: markOnly(hit.snippet) }} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      ) : (
        <>
          <div className="chat-filters">
            <select
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              aria-label={i18n.t('chat.folder')}
              data-testid="chat-folder-filter"
            >
              <option value="">{i18n.t('chat.allFolders')}</option>
              {folders.data?.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name} ({f.count})
                </option>
              ))}
            </select>
            <label className="check">
              <input
                type="checkbox"
                checked={favorite}
                onChange={(e) => setFavorite(e.target.checked)}
                data-testid="chat-favorite-filter"
              />
              {i18n.t('chat.favourites')}
            </label>
          </div>
          <QueryView
            query={list}
            empty={i18n.t('chat.noConversations')}
            emptyTestId="chat-list-empty"
            isEmpty={(l) => !l.conversations.length}
          >
            {(l) => (
              <ul className="chat-list" data-testid="chat-list">
                {l.conversations.map((c) => (
                  <li key={c.id} className={c.id === selected ? 'active' : undefined}>
                    <button type="button" className="link" onClick={() => onSelect(c.id)} data-testid="chat-item">
                      <strong>
                        {c.is_favorite ? '★ ' : ''}
                        {c.title}
                      </strong>
                      <small className="muted">{c.preview}</small>
                      <small className="muted">
                        {c.folder} · {formatDate(c.updated_at)}
                      </small>
                      {c.tags.length > 0 && (
                        <span className="tags">
                          {c.tags.map((t) => (
                            <span className="tag" key={t}>
                              {t}
                            </span>
                          ))}
                        </span>
                      )}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </>
      )}
    </aside>
  );
}

/** Keeps only the API's <mark> tags of a snippet; all other markup is shown as text. */
function markOnly(snippet: string): string {
  const escaped = snippet.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/&lt;mark&gt;/g, '<mark>').replace(/&lt;\/mark&gt;/g, '</mark>');
}

// ---------------------------------------------------------------- conversation

function ChatMain({
  conversationId,
  onCreated,
  onDeleted,
  choices,
  setChoices,
}: {
  conversationId: string | null;
  onCreated: (id: string) => void;
  onDeleted: () => void;
  choices: Record<string, string>;
  setChoices: (choices: Record<string, string>) => void;
}) {
  const queryClient = useQueryClient();
  const providers = useQuery({ queryKey: ['ai', 'providers'], queryFn: aiApi.listProviders, staleTime: 60_000 });
  const conversation = useQuery({
    queryKey: [...CHATS, 'detail', conversationId],
    queryFn: () => aiApi.getChat(conversationId!),
    enabled: !!conversationId,
  });
  const costs = useAnswerCosts(conversation.data ?? null);
  const [message, setMessage] = useState('');
  const [folder, setFolder] = useState('');
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  // every configured provider is chosen at first, with its default model
  const [initialised, setInitialised] = useState(Object.keys(choices).length > 0);
  useEffect(() => {
    if (providers.data && !initialised) {
      setInitialised(true);
      setChoices(Object.fromEntries(providers.data.map((p) => [p.name, p.defaultModel])));
    }
  }, [providers.data, initialised, setChoices]);

  const sending = live !== null && live.columns.some((c) => !c.done);
  const send = (e: FormEvent) => {
    e.preventDefault();
    void ask(
      message.trim(),
      Object.entries(choices).map(([provider, model]) => ({ provider, model })),
    );
  };
  /** Asks the same question again of one model, in this conversation (a new answer under a new turn). */
  const regenerate = (text: string, provider: string, model: string | null) =>
    void ask(text, [{ provider, model: model ?? choices[provider] ?? '' }]);
  const ask = async (text: string, chosen: { provider: string; model: string }[]) => {
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    setLive({ message: text, columns: chosen.map((c) => ({ ...c, content: '', done: false })) });
    const update = (provider: string, change: (c: Column) => Column) =>
      setLive((turn) =>
        turn ? { ...turn, columns: turn.columns.map((c) => (c.provider === provider ? change(c) : c)) } : turn,
      );
    try {
      const stream = await aiApi.streamChat(
        {
          message: text,
          providers: chosen,
          ...(conversationId ? { conversation_id: conversationId } : folder.trim() ? { folder: folder.trim() } : {}),
        },
        controller.signal,
      );
      setMessage('');
      let createdId: string | null = null;
      for await (const { event, data } of readSse(stream)) {
        const provider = String(data.provider ?? '');
        if (event === 'stream') {
          createdId = String(data.conversation_id);
          const opened = (data.providers as { provider: string; model: string }[]) ?? [];
          setLive((turn) =>
            turn ? { ...turn, columns: opened.map((p) => ({ ...p, content: '', done: false })) } : turn,
          );
        } else if (event === 'delta') {
          update(provider, (c) => ({ ...c, content: c.content + String(data.content ?? '') }));
        } else if (event === 'done') {
          update(provider, (c) => ({ ...c, done: true }));
        } else if (event === 'error') {
          update(provider, (c) => ({ ...c, done: true, error: `${String(data.code)}: ${String(data.message)}` }));
        } else if (event === 'end') {
          createdId = String(data.conversation_id);
        }
      }
      setLive((turn) => (turn ? { ...turn, columns: turn.columns.map((c) => ({ ...c, done: true })) } : turn));
      await queryClient.invalidateQueries({ queryKey: CHATS });
      if (createdId && createdId !== conversationId) onCreated(createdId);
      else setLive(null);
    } catch (failure) {
      setLive(null);
      if (!controller.signal.aborted) setError(failure);
    }
  };

  if (providers.isPending) return <Loading label={i18n.t('chat.loadingProviders')} />;
  if (providers.isError) return <FormError error={providers.error} testId="load-error" />;
  if (providers.data.length === 0) {
    return <Empty testId="chat-no-providers">{i18n.t('chat.noProviders')}</Empty>;
  }
  return (
    <div className="chat-main">
      {conversationId &&
        (conversation.isPending ? (
          <Loading />
        ) : conversation.isError ? (
          <FormError error={conversation.error} testId="load-error" />
        ) : (
          <ConversationHeader conversation={conversation.data} onDeleted={onDeleted} />
        ))}
      <div className="chat-transcript" data-testid="chat-transcript">
        {conversation.data && (
          <Transcript
            messages={conversation.data.messages}
            costs={costs}
            onRegenerate={sending ? undefined : regenerate}
          />
        )}
        {live && (
          <Turn
            message={live.message}
            columns={live.columns.map((c) => ({
              key: c.provider,
              provider: c.provider,
              model: c.model,
              content: c.content,
              error: c.error,
              pending: !c.done,
            }))}
          />
        )}
        {!conversationId && !live && <Empty testId="chat-empty">{i18n.t('chat.start')}</Empty>}
      </div>
      <form className="card chat-compose" onSubmit={send} noValidate data-testid="chat-form">
        <ProviderPicker providers={providers.data} choices={choices} onChange={setChoices} error={error} />
        <FormError error={error} testId="chat-error" />
        <label className="field">
          <span>{i18n.t('chat.message')}</span>
          <textarea
            rows={3}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            onKeyDown={(e) => {
              // Enter sends, Shift+Enter starts a new line
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            aria-describedby="chat-message-hint"
            data-testid="chat-message"
          />
          <small className="hint" id="chat-message-hint">
            {i18n.t('chat.hint')}
          </small>
          <FieldMessage name="message" error={error} />
        </label>
        <div className="row">
          {!conversationId && (
            <Field
              label={i18n.t('chat.folderOptional')}
              name="folder"
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              error={error}
              data-testid="chat-folder"
            />
          )}
          <div className="actions">
            {sending ? (
              <button type="button" onClick={() => abort.current?.abort()} data-testid="chat-stop">
                {i18n.t('chat.stop')}
              </button>
            ) : (
              <button className="primary" type="submit" disabled={sending} data-testid="chat-send">
                {i18n.t('chat.send')}
              </button>
            )}
          </div>
        </div>
      </form>
    </div>
  );
}

function ProviderPicker({
  providers,
  choices,
  onChange,
  error,
}: {
  providers: AiProviderResponseDto[];
  choices: Record<string, string>;
  onChange: (choices: Record<string, string>) => void;
  error: unknown;
}) {
  const toggle = (p: AiProviderResponseDto) => {
    const next = { ...choices };
    if (next[p.name]) delete next[p.name];
    else next[p.name] = p.defaultModel;
    onChange(next);
  };
  return (
    <fieldset className="providers" data-testid="chat-providers">
      <legend>{i18n.t('chat.models')}</legend>
      {providers.map((p) => (
        <span key={p.name} className="provider-choice">
          <label className="check">
            <input
              type="checkbox"
              checked={!!choices[p.name]}
              onChange={() => toggle(p)}
              data-testid={`chat-provider-${p.name}`}
            />
            {p.name}
            {p.state !== 'closed' && <span className="tag warn">{p.state}</span>}
          </label>
          <select
            aria-label={i18n.t('chat.modelOf', { provider: p.name })}
            value={choices[p.name] ?? p.defaultModel}
            disabled={!choices[p.name]}
            onChange={(e) => onChange({ ...choices, [p.name]: e.target.value })}
            data-testid={`chat-model-${p.name}`}
          >
            {p.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </span>
      ))}
      <FieldMessage name="providers" error={error} />
    </fieldset>
  );
}

interface AnswerView {
  key: string;
  provider: string;
  model: string | null;
  content: string;
  error?: string | null;
  pending?: boolean;
  tokensIn?: number | null;
  tokensOut?: number | null;
  costUsd?: number;
}

/**
 * The cost of each stored answer: the chat usage rows (GET /api/ai/usage) matched to the answers by
 * provider, model and token counts, nearest in time. The API does not link a usage row to a message.
 */
function useAnswerCosts(conversation: ChatConversationDetailDto | null): Map<string, number> {
  const since = conversation?.created_at;
  const usage = useQuery({
    queryKey: [...CHATS, 'usage', conversation?.id, conversation?.messages.length],
    queryFn: () => aiApi.usage({ from: since!, feature: 'chat', limit: 100 }),
    enabled: !!since,
    retry: false,
  });
  const costs = new Map<string, number>();
  const rows = [...(usage.data?.data ?? [])];
  for (const m of conversation?.messages ?? []) {
    if (m.role !== 'assistant' || m.tokens_out === null) continue;
    let best = -1;
    for (let i = 0; i < rows.length; i += 1) {
      const r = rows[i];
      if (r.provider !== m.ai_provider || r.model !== m.model) continue;
      if (r.inputTokens !== m.tokens_in || r.outputTokens !== m.tokens_out) continue;
      const distance = Math.abs(Date.parse(r.createdAt) - Date.parse(m.created_at));
      if (best < 0 || distance < Math.abs(Date.parse(rows[best].createdAt) - Date.parse(m.created_at))) best = i;
    }
    if (best >= 0) {
      costs.set(m.id, rows[best].costUsd);
      rows.splice(best, 1);
    }
  }
  return costs;
}

const formatUsd = (value: number) =>
  value.toLocaleString(i18n.language, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

/** Messages in order, each user message followed by its answers side by side. */
function Transcript({
  messages,
  costs,
  onRegenerate,
}: {
  messages: ChatMessageDto[];
  costs: Map<string, number>;
  onRegenerate?: (message: string, provider: string, model: string | null) => void;
}) {
  const turns: { user: ChatMessageDto | null; answers: ChatMessageDto[] }[] = [];
  for (const m of messages) {
    if (m.role === 'user' || turns.length === 0) turns.push({ user: m.role === 'user' ? m : null, answers: [] });
    if (m.role !== 'user') turns[turns.length - 1].answers.push(m);
  }
  const tokens = messages.reduce((n, m) => n + (m.tokens_in ?? 0) + (m.tokens_out ?? 0), 0);
  const cost = [...costs.values()].reduce((n, c) => n + c, 0);
  return (
    <>
      {turns.map((turn, i) => (
        <Turn
          key={turn.user?.id ?? i}
          message={turn.user?.content ?? ''}
          onRegenerate={
            turn.user && onRegenerate ? (c) => onRegenerate(turn.user!.content, c.provider, c.model) : undefined
          }
          columns={turn.answers.map((a) => ({
            key: a.id,
            provider: a.ai_provider ?? a.role,
            model: a.model,
            content: a.content,
            error: a.error,
            tokensIn: a.tokens_in,
            tokensOut: a.tokens_out,
            costUsd: costs.get(a.id),
          }))}
        />
      ))}
      {tokens > 0 && (
        <p className="muted small" data-testid="chat-usage-total">
          {i18n.t('chat.total', { tokens: tokens.toLocaleString(i18n.language) })}
          {costs.size > 0 ? ` · ${formatUsd(cost)}` : ''}
        </p>
      )}
    </>
  );
}

function Turn({
  message,
  columns,
  onRegenerate,
}: {
  message: string;
  columns: AnswerView[];
  onRegenerate?: (column: AnswerView) => void;
}) {
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      notifications.show({ color: 'green', message: i18n.t('chat.copied') });
    } catch {
      notifications.show({ color: 'red', message: i18n.t('chat.noClipboard') });
    }
  };
  return (
    <div className="chat-turn" data-testid="chat-turn">
      {message && (
        <div className="chat-user" data-testid="chat-user-message">
          {message}
        </div>
      )}
      <div
        className="chat-columns"
        style={{ gridTemplateColumns: `repeat(${Math.max(columns.length, 1)}, minmax(0, 1fr))` }}
      >
        {columns.map((c) => (
          <div
            key={c.key}
            className={`chat-answer${c.error ? ' failed' : ''}`}
            data-testid="chat-answer"
            data-provider={c.provider}
          >
            <header>
              <strong>{c.provider}</strong> <small className="muted">{c.model}</small>
              {c.pending && <span className="spinner" aria-label={i18n.t('chat.streaming')} />}
            </header>
            {c.content && <div className="chat-text">{c.content}</div>}
            {c.error && (
              <div className="field-error" data-testid="chat-answer-error">
                {c.error}
              </div>
            )}
            {!c.pending && (
              <footer className="chat-answer-footer">
                {(c.tokensIn != null || c.tokensOut != null) && (
                  <small className="muted" data-testid="chat-answer-usage">
                    {i18n.t('chat.usage', {
                      input: (c.tokensIn ?? 0).toLocaleString(i18n.language),
                      output: (c.tokensOut ?? 0).toLocaleString(i18n.language),
                    })}
                    {c.costUsd !== undefined ? ` · ${formatUsd(c.costUsd)}` : ''}
                  </small>
                )}
                <span className="chat-answer-actions">
                  {c.content && (
                    <button type="button" className="link" onClick={() => void copy(c.content)} data-testid="chat-copy">
                      {i18n.t('chat.copy')}
                    </button>
                  )}
                  {onRegenerate && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => onRegenerate(c)}
                      data-testid="chat-regenerate"
                    >
                      {i18n.t('chat.regenerate')}
                    </button>
                  )}
                </span>
              </footer>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

function ConversationHeader({
  conversation,
  onDeleted,
}: {
  conversation: ChatConversationDetailDto;
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: CHATS });
  const remove = useMutation({
    meta: { toast: false },
    mutationFn: () => aiApi.deleteChat(conversation.id),
    onSuccess: () => {
      notifications.show({ color: 'green', message: i18n.t('chat.deleted') });
      onDeleted();
      void refresh();
    },
  });
  const favorite = useMutation({ mutationFn: () => aiApi.toggleFavorite(conversation.id), onSuccess: refresh });
  const [renaming, setRenaming] = useState(false);
  const rename = useMutation({
    meta: { toast: false },
    mutationFn: (title: string) => aiApi.renameChat(conversation.id, title),
    onSuccess: (detail) => {
      queryClient.setQueryData([...CHATS, 'detail', conversation.id], detail);
      notifications.show({ color: 'green', message: i18n.t('chat.renamed') });
      setRenaming(false);
      void refresh();
    },
  });
  const tags = useMutation({
    mutationFn: async (next: string[]) => {
      for (const tag of next.filter((t) => !conversation.tags.includes(t))) await aiApi.addTag(conversation.id, tag);
      for (const tag of conversation.tags.filter((t) => !next.includes(t))) await aiApi.removeTag(conversation.id, tag);
    },
    onSettled: refresh,
  });
  const download = useMutation({
    meta: { toast: false },
    mutationFn: (format: 'pdf' | 'md' | 'txt') => aiApi.exportChat(conversation.id, format),
    onSuccess: ({ blob, fileName }) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  });
  return (
    <div className="card chat-header" data-testid="chat-header">
      <div className="row">
        {renaming ? (
          <form
            className="rename"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate(String(new FormData(e.currentTarget).get('title') ?? ''));
            }}
            data-testid="chat-rename-form"
          >
            <input
              name="title"
              defaultValue={conversation.title}
              aria-label={i18n.t('chat.titleLabel')}
              aria-invalid={rename.error ? true : undefined}
              maxLength={200}
              autoFocus
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
              data-testid="chat-rename-input"
            />
            <button type="submit" className="primary" disabled={rename.isPending} data-testid="chat-rename-save">
              {i18n.t('common.save')}
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              {i18n.t('common.cancel')}
            </button>
            <FieldMessage name="title" error={rename.error} />
          </form>
        ) : (
          <>
            <h2 data-testid="chat-title">{conversation.title}</h2>
            <button type="button" className="link" onClick={() => setRenaming(true)} data-testid="chat-rename">
              {i18n.t('chat.rename')}
            </button>
          </>
        )}
        <button
          type="button"
          className="link"
          onClick={() => favorite.mutate()}
          disabled={favorite.isPending}
          aria-pressed={conversation.is_favorite}
          data-testid="chat-favorite"
        >
          {conversation.is_favorite ? i18n.t('chat.favourite') : i18n.t('chat.addFavourite')}
        </button>
        <span className="muted">{i18n.t('chat.folderIs', { folder: conversation.folder })}</span>
        <span className="actions">
          {i18n.t('chat.export')}
          {(['pdf', 'md', 'txt'] as const).map((f) => (
            <button
              key={f}
              type="button"
              onClick={() => download.mutate(f)}
              disabled={download.isPending}
              data-testid={`chat-export-${f}`}
            >
              {f.toUpperCase()}
            </button>
          ))}
          <ConfirmButton
            label={i18n.t('chat.delete')}
            question={i18n.t('chat.deleteQuestion')}
            disabled={remove.isPending}
            onConfirm={() => remove.mutate()}
            testId="chat-delete"
          />
        </span>
      </div>
      <TagInput
        label={i18n.t('chat.tags')}
        name="tag"
        value={conversation.tags}
        onChange={(next) => tags.mutate(next)}
        error={tags.error}
      />
      <FormError
        error={
          favorite.error ??
          download.error ??
          remove.error ??
          (tags.error instanceof ApiError && !tags.error.fieldError('tag') ? tags.error : null)
        }
      />
    </div>
  );
}
