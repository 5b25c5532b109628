import { PageBulkActions, useSelection } from '../bulk/bulk';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { TimeField } from '../../ui/date-field';
import { BackToList, useConversationParam } from '../../ui/conversation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AutoReplyRuleDto, CreateAutoReplyRuleDto, PostMessageResultDto } from '@crescendo/api-client';
import { aiApi } from '../../api/ai-endpoints';
import { useAuth } from '../../auth';
import {
  ConfirmButton,
  DataTable,
  EditorForm,
  Field,
  FieldMessage,
  FormError,
  Notice,
  QueryView,
  SelectField,
  TagInput,
  TextAreaField,
  formatDate,
  humanize,
  useDebounced,
  type Column,
} from '../../components';

const RULES = ['chatbot', 'rules'] as const;
const INBOX = ['chatbot', 'inbox'] as const;
const MATCH_TYPES = ['keyword', 'regex', 'intent'] as const;
const INTENTS = ['complaint', 'pricing', 'content_request', 'greeting', 'farewell'] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const PLATFORMS = ['onlyfans', 'fansly', 'patreon', 'fanvue', 'mym', 'other'] as const;
const valueLabel = (value: string) =>
  i18n.exists(`autoReply.values.${value}`) ? i18n.t(`autoReply.values.${value}`) : humanize(value);
const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: valueLabel(v) }));

/** Chatbot: auto-reply rules by priority, and the fan inbox where they answer. */
export function AutoReplyPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const rules = useQuery({ queryKey: RULES, queryFn: aiApi.listRules });
  const [editing, setEditing] = useState<AutoReplyRuleDto | 'new' | null>(null);
  const canEdit = can('agents:write');
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('pages.autoRepliesTitle')}</h1>
          <p className="muted">{t('pages.autoRepliesSubtitle')}</p>
        </div>
        {canEdit && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="rule-new">
            {i18n.t('autoReply.new')}
          </button>
        )}
      </header>
      {editing && (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <div className="card">
        <h2>{i18n.t('autoReply.rules')}</h2>
        <QueryView query={rules} empty={i18n.t('autoReply.empty')} emptyTestId="rules-empty">
          {(page) => (
            <RulesTable
              rules={[...page.data].sort((a, b) => b.priority - a.priority)}
              onEdit={setEditing}
              canEdit={canEdit}
            />
          )}
        </QueryView>
      </div>
      <Inbox />
    </section>
  );
}

function RulesTable({
  rules,
  onEdit,
  canEdit,
}: {
  rules: AutoReplyRuleDto[];
  onEdit: (rule: AutoReplyRuleDto) => void;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: RULES });
  const remove = useMutation({ mutationFn: aiApi.deleteRule, onSuccess: refresh });
  const toggle = useMutation({
    mutationFn: (rule: AutoReplyRuleDto) => aiApi.updateRule(rule.id, { active: !rule.active }),
    onSuccess: refresh,
  });
  const columns: Column<AutoReplyRuleDto>[] = [
    { key: 'priority', header: i18n.t('autoReply.colPriority'), render: (r) => r.priority },
    { key: 'name', header: i18n.t('autoReply.colName'), render: (r) => <strong>{r.name}</strong> },
    {
      key: 'match',
      header: i18n.t('autoReply.colMatches'),
      render: (r) =>
        r.matchType === 'keyword' ? (
          <span className="tags">
            {(r.keywords ?? []).map((k) => (
              <span className="tag" key={k}>
                {k}
              </span>
            ))}
          </span>
        ) : r.matchType === 'regex' ? (
          <code>{r.pattern}</code>
        ) : (
          <span className="tag">{i18n.t('autoReply.intentIs', { intent: valueLabel(r.intent ?? '') })}</span>
        ),
    },
    {
      key: 'reply',
      header: i18n.t('autoReply.colReply'),
      render: (r) =>
        r.replyType === 'ai' ? <em>{i18n.t('autoReply.aiReply', { prompt: r.aiPrompt })}</em> : r.template,
    },
    {
      key: 'when',
      header: i18n.t('autoReply.colActive'),
      render: (r) => (
        <small>
          {r.activeHours
            ? `${r.activeHours.days.map(valueLabel).join(', ')} ${r.activeHours.from}–${r.activeHours.to}`
            : i18n.t('autoReply.always')}
          {r.cooldownMinutes ? i18n.t('autoReply.cooldown', { minutes: r.cooldownMinutes }) : ''}
        </small>
      ),
    },
    {
      key: 'status',
      header: i18n.t('autoReply.colStatus'),
      render: (r) => (
        <button
          type="button"
          className="link"
          disabled={!canEdit || toggle.isPending}
          onClick={() => toggle.mutate(r)}
          data-testid="rule-toggle"
        >
          {r.active ? i18n.t('autoReply.on') : i18n.t('autoReply.off')}
        </button>
      ),
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      render: (r) =>
        canEdit && (
          <>
            <button type="button" onClick={() => onEdit(r)} data-testid="rule-edit">
              {i18n.t('autoReply.edit')}
            </button>
            <ConfirmButton
              label={i18n.t('autoReply.delete')}
              question={i18n.t('autoReply.deleteQuestion', { name: r.name })}
              onConfirm={() => remove.mutate(r.id)}
              testId="rule-delete"
            />
          </>
        ),
    },
  ];
  return (
    <>
      <FormError error={remove.error ?? toggle.error} />
      <DataTable columns={columns} rows={rules} rowKey={(r) => r.id} testId="rules-table" rowTestId="rule-row" />
    </>
  );
}

interface AutoReplyValues {
  name: string;
  matchType: (typeof MATCH_TYPES)[number];
  keywords: string[];
  pattern: string;
  intent: (typeof INTENTS)[number];
  priority: string;
  cooldown: string;
  replyType: 'template' | 'ai';
  template: string;
  aiPrompt: string;
  limitHours: boolean;
  days: string[];
  from: string;
  to: string;
  timezone: string;
  active: boolean;
}

function RuleForm({ rule, onDone }: { rule: AutoReplyRuleDto | null; onDone: () => void }) {
  const form = useForm<AutoReplyValues>({
    initialValues: {
      name: rule?.name ?? '',
      matchType: rule?.matchType ?? 'keyword',
      keywords: rule?.keywords ?? [],
      pattern: rule?.pattern ?? '',
      intent: rule?.intent ?? 'pricing',
      priority: String(rule?.priority ?? 0),
      cooldown: String(rule?.cooldownMinutes ?? 0),
      replyType: rule?.replyType ?? 'template',
      template: rule?.template ?? '',
      aiPrompt: rule?.aiPrompt ?? '',
      limitHours: !!rule?.activeHours,
      days: rule?.activeHours?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: rule?.activeHours?.from ?? '09:00',
      to: rule?.activeHours?.to ?? '18:00',
      timezone: rule?.timezone ?? '',
      active: rule?.active ?? true,
    },
  });
  const {
    name,
    matchType,
    keywords,
    pattern,
    intent,
    priority,
    cooldown,
    replyType,
    template,
    aiPrompt,
    limitHours,
    days,
    from,
    to,
    timezone,
    active,
  } = form.values;
  const setter =
    <K extends keyof AutoReplyValues>(key: K) =>
    (value: AutoReplyValues[K]) =>
      form.setFieldValue(key, value as never);
  const setName = setter('name');
  const setMatchType = setter('matchType');
  const setKeywords = setter('keywords');
  const setPattern = setter('pattern');
  const setIntent = setter('intent');
  const setPriority = setter('priority');
  const setCooldown = setter('cooldown');
  const setReplyType = setter('replyType');
  const setTemplate = setter('template');
  const setAiPrompt = setter('aiPrompt');
  const setLimitHours = setter('limitHours');
  const setDays = setter('days');
  const setFrom = setter('from');
  const setTo = setter('to');
  const setTimezone = setter('timezone');
  const setActive = setter('active');

  const save = () => {
    const body: CreateAutoReplyRuleDto = {
      name: name.trim(),
      matchType,
      keywords: matchType === 'keyword' ? keywords : null,
      pattern: matchType === 'regex' ? pattern : null,
      ...(matchType === 'intent' ? { intent } : {}),
      priority: Number(priority),
      cooldownMinutes: Number(cooldown),
      replyType,
      template: replyType === 'template' ? template : null,
      aiPrompt: replyType === 'ai' ? aiPrompt : null,
      activeHours: limitHours ? { days: days as ('mon' | 'tue')[], from, to } : null,
      timezone: timezone.trim() || null,
      active,
    };
    return rule ? aiApi.updateRule(rule.id, body) : aiApi.createRule(body);
  };
  return (
    <EditorForm
      title={rule ? i18n.t('autoReply.editTitle', { name: rule.name }) : i18n.t('autoReply.new')}
      testId="rule"
      listKey={RULES}
      save={save}
      onDone={onDone}
      submitLabel={rule ? i18n.t('autoReply.save') : i18n.t('autoReply.create')}
      form={form}
    >
      {(err) => (
        <>
          <div className="row">
            <Field
              label={i18n.t('autoReply.name')}
              name="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={err}
              data-testid="rule-name"
            />
            <Field
              label={i18n.t('autoReply.priority')}
              name="priority"
              type="number"
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              error={err}
              hint={i18n.t('autoReply.priorityHint')}
              data-testid="rule-priority"
            />
            <SelectField
              label={i18n.t('autoReply.matchOn')}
              name="matchType"
              value={matchType}
              options={options(MATCH_TYPES)}
              onChange={(e) => setMatchType(e.target.value as typeof matchType)}
              error={err}
              data-testid="rule-match-type"
            />
          </div>
          {matchType === 'keyword' && (
            <TagInput
              label={i18n.t('autoReply.keywords')}
              name="keywords"
              value={keywords}
              onChange={setKeywords}
              error={err}
            />
          )}
          {matchType === 'regex' && (
            <Field
              label={i18n.t('autoReply.pattern')}
              name="pattern"
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              error={err}
              data-testid="rule-pattern"
            />
          )}
          {matchType === 'intent' && (
            <SelectField
              label={i18n.t('autoReply.intent')}
              name="intent"
              value={intent}
              options={options(INTENTS)}
              onChange={(e) => setIntent(e.target.value as typeof intent)}
              error={err}
              data-testid="rule-intent"
            />
          )}
          <div className="row">
            <SelectField
              label={i18n.t('autoReply.replyWith')}
              name="replyType"
              value={replyType}
              options={[
                { value: 'template', label: i18n.t('autoReply.template') },
                { value: 'ai', label: i18n.t('autoReply.ai') },
              ]}
              onChange={(e) => setReplyType(e.target.value as typeof replyType)}
              error={err}
              data-testid="rule-reply-type"
            />
            <Field
              label={i18n.t('autoReply.cooldownLabel')}
              name="cooldownMinutes"
              type="number"
              min={0}
              value={cooldown}
              onChange={(e) => setCooldown(e.target.value)}
              error={err}
              data-testid="rule-cooldown"
            />
          </div>
          {replyType === 'template' ? (
            <TextAreaField
              label={i18n.t('autoReply.templateLabel')}
              name="template"
              value={template}
              onChange={(e) => setTemplate(e.target.value)}
              error={err}
              hint={i18n.t('autoReply.templateHint', { placeholder: '{{name}}' })}
              data-testid="rule-template"
            />
          ) : (
            <TextAreaField
              label={i18n.t('autoReply.aiPrompt')}
              name="aiPrompt"
              value={aiPrompt}
              onChange={(e) => setAiPrompt(e.target.value)}
              error={err}
              data-testid="rule-ai-prompt"
            />
          )}
          <fieldset>
            <legend>
              <label className="check">
                <input
                  type="checkbox"
                  checked={limitHours}
                  onChange={(e) => setLimitHours(e.target.checked)}
                  data-testid="rule-hours"
                />
                {i18n.t('autoReply.onlyHours')}
              </label>
            </legend>
            {limitHours && (
              <>
                <div className="row">
                  {DAYS.map((d) => (
                    <label className="check" key={d}>
                      <input
                        type="checkbox"
                        checked={days.includes(d)}
                        onChange={() => setDays(days.includes(d) ? days.filter((x) => x !== d) : [...days, d])}
                      />
                      {valueLabel(d)}
                    </label>
                  ))}
                </div>
                <div className="row">
                  <TimeField label={i18n.t('autoReply.from')} name="from" value={from} onChange={setFrom} error={err} />
                  <TimeField label={i18n.t('autoReply.to')} name="to" value={to} onChange={setTo} error={err} />
                  <Field
                    label={i18n.t('autoReply.timezone')}
                    name="timezone"
                    placeholder={i18n.t('autoReply.timezoneHint')}
                    value={timezone}
                    onChange={(e) => setTimezone(e.target.value)}
                    error={err}
                  />
                </div>
                <FieldMessage name="activeHours" error={err} />
                <FieldMessage name="days" error={err} />
              </>
            )}
          </fieldset>
          <label className="check">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
            {i18n.t('autoReply.active')}
          </label>
        </>
      )}
    </EditorForm>
  );
}

// ---------------------------------------------------------------- fan inbox

/** The fan inbox on its own page (also under the rules on the auto-replies page). */
export function InboxPage() {
  const { t } = useTranslation();
  return (
    <section>
      <header className="page-header">
        <h1>{t('nav.inbox')}</h1>
      </header>
      <Inbox />
    </section>
  );
}

function Inbox() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [selected, setSelected] = useConversationParam();
  // the first message's outcome (auto-reply) outlives the switch from the new conversation to the created one
  const [created, setCreated] = useState<PostMessageResultDto | null>(null);
  // fans write at any time (through the API or a platform's webhook): the list keeps up while it is shown
  const list = useQuery({ queryKey: [...INBOX, q], queryFn: () => aiApi.listInbox(q), refetchInterval: 10_000 });
  const queryClient = useQueryClient();
  const selection = useSelection();
  const { can } = useAuth();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: INBOX });
  const ids = (list.data?.data ?? []).map((c) => c.id);
  return (
    <div className="card" data-testid="inbox">
      <h2>{t('inbox.title')}</h2>
      {can('agents:write') && (
        <PageBulkActions
          selection={selection}
          statusOptions={[
            { value: 'open', label: t('bulk.reopen') },
            { value: 'closed', label: t('bulk.close') },
          ]}
          setStatus={(id, status) => aiApi.updateInboxConversation(id, { status: status as 'open' | 'closed' })}
          extraActions={[
            {
              label: t('bulk.markRead'),
              testId: 'bulk-mark-read',
              run: (id) => aiApi.updateInboxConversation(id, { read: true }),
            },
          ]}
          onDone={refresh}
        />
      )}
      {/* on a phone an open conversation takes the whole width: the list is one tap back */}
      <div className={selected ? 'inbox-layout has-selection' : 'inbox-layout'}>
        <div className="inbox-list">
          <input
            type="search"
            aria-label={t('inbox.searchLabel')}
            placeholder={t('inbox.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="inbox-search"
          />
          <button type="button" className="link" onClick={() => setSelected(null)} data-testid="inbox-new">
            {t('inbox.new')}
          </button>
          {can('agents:write') && ids.length > 0 && (
            <label className="check small">
              <input
                type="checkbox"
                checked={ids.every((id) => selection.ids.has(id))}
                onChange={() => selection.togglePage(ids)}
                data-testid="select-page"
              />
              {t('bulk.selectAll')}
            </label>
          )}
          <QueryView query={list} empty={t('inbox.empty')} emptyTestId="inbox-empty">
            {(page) => (
              <ul className="chat-list" data-testid="inbox-list">
                {page.data.map((c) => (
                  <li key={c.id} className={c.id === selected ? 'active inbox-row' : 'inbox-row'}>
                    {can('agents:write') && (
                      <input
                        type="checkbox"
                        aria-label={t('bulk.selectRow', { name: c.fanName ?? c.fanHandle })}
                        checked={selection.ids.has(c.id)}
                        onChange={() => selection.toggle(c.id)}
                        data-testid="select-row"
                      />
                    )}
                    <button type="button" className="link" onClick={() => setSelected(c.id)} data-testid="inbox-item">
                      <strong>{c.fanName ?? c.fanHandle}</strong>
                      <small className="muted">
                        @{c.fanHandle} · {valueLabel(c.platform)} · {valueLabel(c.status)}
                        {c.unreadCount ? (
                          <span data-testid="inbox-unread">{` · ${t('inbox.unread', { count: c.unreadCount })}`}</span>
                        ) : (
                          ''
                        )}
                      </small>
                      {c.lastMessage && <small className="muted">{c.lastMessage.preview}</small>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </div>
        {selected && <BackToList onBack={() => setSelected(null)} label={t('inbox.backToList')} />}
        <InboxConversation
          key={selected ?? 'new'}
          id={selected}
          created={created?.conversation.id === selected ? created : null}
          onCreated={(result) => {
            setCreated(result);
            setSelected(result.conversation.id);
          }}
        />
      </div>
    </div>
  );
}

function InboxConversation({
  id,
  created,
  onCreated,
}: {
  id: string | null;
  created: PostMessageResultDto | null;
  onCreated: (result: PostMessageResultDto) => void;
}) {
  const queryClient = useQueryClient();
  const conversation = useQuery({
    queryKey: [...INBOX, 'detail', id],
    queryFn: () => aiApi.getInboxConversation(id!),
    enabled: !!id,
    refetchInterval: 10_000,
  });
  const [body, setBody] = useState('');
  // in an open conversation the member writes as the creator; a new one starts with the fan's message
  const [direction, setDirection] = useState<'inbound' | 'outbound'>(id ? 'outbound' : 'inbound');
  useEffect(() => setDirection(id ? 'outbound' : 'inbound'), [id]);
  // opening a conversation reads it: its unread count goes back to 0
  const unread = conversation.data?.unreadCount ?? 0;
  useEffect(() => {
    if (!id || unread === 0) return;
    void aiApi
      .updateInboxConversation(id, { read: true })
      .then(() => queryClient.invalidateQueries({ queryKey: INBOX }))
      .catch(() => undefined);
  }, [id, unread, queryClient]);
  const [fanHandle, setFanHandle] = useState('');
  const [fanName, setFanName] = useState('');
  const [platform, setPlatform] = useState<(typeof PLATFORMS)[number]>('onlyfans');
  const [last, setLast] = useState<PostMessageResultDto | null>(created);
  const send = useMutation({
    meta: { toast: false },
    mutationFn: () =>
      aiApi.postInboxMessage({
        body,
        direction,
        ...(id
          ? { conversationId: id }
          : { fanHandle: fanHandle.trim(), fanName: fanName.trim() || undefined, platform }),
      }),
    onSuccess: (result) => {
      setLast(result);
      setBody('');
      void queryClient.invalidateQueries({ queryKey: INBOX });
      if (!id) onCreated(result);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const reply = last?.autoReply;
  // the newest message is at the bottom of the list: show it (again when one arrives), not the oldest
  const scrollToEnd = useRef<HTMLOListElement>(null);
  const count = conversation.data?.messages.length ?? 0;
  useEffect(() => {
    if (scrollToEnd.current) scrollToEnd.current.scrollTop = scrollToEnd.current.scrollHeight;
  }, [count]);
  return (
    <div className="inbox-conversation">
      {id &&
        (conversation.isPending ? null : conversation.isError ? (
          <FormError error={conversation.error} testId="load-error" />
        ) : (
          <>
            <h3 className="inbox-fan" data-testid="inbox-fan">
              {conversation.data.fanName ?? `@${conversation.data.fanHandle}`}{' '}
              <small className="muted">
                @{conversation.data.fanHandle} · {valueLabel(conversation.data.platform)} ·{' '}
                {valueLabel(conversation.data.status)}
              </small>
            </h3>
            <ol className="messages" data-testid="inbox-messages" ref={scrollToEnd}>
              {[...conversation.data.messages]
                .sort(
                  (a, b) =>
                    a.sentAt.localeCompare(b.sentAt) || Number(b.authorType === 'fan') - Number(a.authorType === 'fan'),
                )
                .map((m) => (
                  <li
                    key={m.id}
                    className={`message ${m.direction}`}
                    data-testid="inbox-message"
                    data-author={m.authorType}
                  >
                    <div>{m.body}</div>
                    <small className="muted">
                      {m.authorType === 'auto_reply'
                        ? i18n.t('inbox.autoReply')
                        : m.authorType === 'fan'
                          ? i18n.t('inbox.fan')
                          : i18n.t('inbox.you')}{' '}
                      · {formatDate(m.sentAt)}
                    </small>
                  </li>
                ))}
            </ol>
          </>
        ))}
      {reply && (
        <Notice
          testId="inbox-auto-reply"
          tone={reply.fired || reply.reason === 'NO_MATCH' || reply.reason === 'NOT_INBOUND' ? 'success' : 'error'}
        >
          {reply.fired
            ? i18n.t('inbox.replied', { rule: reply.ruleName })
            : reply.reason === 'NOT_INBOUND'
              ? i18n.t('inbox.sent')
              : i18n.t('inbox.noReply', { reason: humanize(reply.reason) })}
          {reply.skipped.length > 0 && (
            <ul>
              {reply.skipped.map((s) => (
                <li key={s.ruleId}>
                  {s.ruleName}: {humanize(s.reason)}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      <form onSubmit={submit} noValidate data-testid="inbox-form">
        <FormError error={send.error} testId="inbox-error" />
        {!id && (
          <div className="row">
            <Field
              label={i18n.t('inbox.fanHandle')}
              name="fanHandle"
              value={fanHandle}
              onChange={(e) => setFanHandle(e.target.value)}
              error={send.error}
              data-testid="inbox-fan-handle"
            />
            <Field
              label={i18n.t('inbox.fanName')}
              name="fanName"
              value={fanName}
              onChange={(e) => setFanName(e.target.value)}
              error={send.error}
              data-testid="inbox-fan-name"
            />
            <SelectField
              label={i18n.t('inbox.platform')}
              name="platform"
              value={platform}
              options={options(PLATFORMS)}
              onChange={(e) => setPlatform(e.target.value as typeof platform)}
              error={send.error}
            />
          </div>
        )}
        <TextAreaField
          label={i18n.t('inbox.message')}
          name="body"
          rows={2}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={send.error}
          data-testid="inbox-body"
        />
        <div className="row">
          <SelectField
            label={i18n.t('inbox.as')}
            name="direction"
            value={direction}
            options={[
              { value: 'inbound', label: i18n.t('inbox.asFan') },
              { value: 'outbound', label: i18n.t('inbox.asYou') },
            ]}
            onChange={(e) => setDirection(e.target.value as typeof direction)}
            error={send.error}
            data-testid="inbox-direction"
          />
          <div className="actions">
            <button className="primary" type="submit" disabled={send.isPending} data-testid="inbox-send">
              {i18n.t('inbox.send')}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}
