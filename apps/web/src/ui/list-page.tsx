import type { ReactNode } from 'react';
import type { Column } from '../components';
import { ConfirmButton } from './feedback';
import { Field, SelectField, type Option } from './fields';

/** A list page's header: its title, a line saying what it holds, and its action on the right (a "new" button). */
export function PageHeader({ title, subtitle, children }: { title: string; subtitle: string; children?: ReactNode }) {
  return (
    <header className="page-header split">
      <div>
        <h1>{title}</h1>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </header>
  );
}

/** The button that opens a list page's creation form, and closes it again. */
export function CreateToggle({
  open,
  onToggle,
  newLabel,
  closeLabel,
  testId,
}: {
  open: boolean;
  onToggle: (open: boolean) => void;
  newLabel: string;
  closeLabel: string;
  testId: string;
}) {
  return (
    <button type="button" className="primary" onClick={() => onToggle(!open)} data-testid={testId}>
      {open ? closeLabel : newLabel}
    </button>
  );
}

/** One filter of a FilterBar: a text box, or a select when it has options (`any` names the empty choice). */
export type FilterSpec<F> = {
  /** the filter it sets */
  key: keyof F & string;
  label: string;
  /** the control's name, when it differs from the filter's (the API's parameter) */
  name?: string;
  testId?: string;
} & ({ options: Option[]; any: string } | { search?: boolean; placeholder?: string });

/**
 * A list's filters in a row, each control bound to its filter (useListControls' `filters` and `filter`); the
 * list's refusal shows under the control it names.
 */
export function FilterBar<F extends Record<string, string>>({
  filters,
  filter,
  error,
  fields,
  className = 'filter-row',
}: {
  filters: F;
  filter: (changes: Partial<F>) => void;
  error: unknown;
  fields: FilterSpec<F>[];
  className?: string;
}) {
  const set = (key: keyof F & string, value: string) => filter({ [key]: value } as Partial<F>);
  return (
    <div className={className}>
      {fields.map((f) => {
        const common = {
          key: f.key,
          label: f.label,
          name: f.name ?? f.key,
          value: filters[f.key],
          error,
          ...(f.testId ? { 'data-testid': f.testId } : {}),
        };
        return 'options' in f ? (
          <SelectField
            {...common}
            options={f.options}
            placeholder={f.any}
            onChange={(e) => set(f.key, e.target.value)}
          />
        ) : (
          <Field
            {...common}
            type={f.search ? 'search' : undefined}
            placeholder={f.placeholder}
            onChange={(e) => set(f.key, e.target.value)}
          />
        );
      })}
    </div>
  );
}

/** What an empty list says: nothing matches the filters, or nothing yet, with the action that creates one. */
export function ListEmpty({
  filtered,
  filteredText,
  emptyText,
  action,
}: {
  filtered: boolean;
  filteredText: string;
  emptyText: string;
  action?: { label: string; onClick: () => void };
}) {
  if (filtered) return <>{filteredText}</>;
  return (
    <>
      {emptyText}{' '}
      {action && (
        <span className="empty-actions">
          <button type="button" className="primary" onClick={action.onClick}>
            {action.label}
          </button>
        </span>
      )}
    </>
  );
}

/** The last column of a list its reader may change: a delete button that asks first. */
export function deleteColumn<T>({
  label,
  question,
  disabled,
  onConfirm,
  testId,
}: {
  label: string;
  question?: (row: T) => string;
  disabled?: boolean;
  onConfirm: (row: T) => void;
  testId: string;
}): Column<T> {
  return {
    key: 'actions',
    header: '',
    className: 'actions',
    render: (row) => (
      <ConfirmButton
        label={label}
        question={question?.(row)}
        disabled={disabled}
        onConfirm={() => onConfirm(row)}
        testId={testId}
      />
    ),
  };
}
