import { ActionIcon, Kbd, Modal, Table, Tooltip } from '@mantine/core';
import { Fragment, useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from 'i18next';

// one dialog for the whole app, opened by `?`, the header's button or the command palette
let opened = false;
const listeners = new Set<() => void>();
const setOpened = (next: boolean) => {
  opened = next;
  listeners.forEach((listener) => listener());
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const shortcutHelp = { open: () => setOpened(true), close: () => setOpened(false) };

/** Apple keyboards say ⌘ where the others say Ctrl. */
export const isApple = () => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const modKey = () => (isApple() ? '⌘' : 'ctrl');

/** A key's name as the UI language writes it (Échap, Maj in French); symbols and letters as they are. */
export const keyName = (key: string) =>
  key === 'ctrl' || key === 'esc' || key === 'shift' ? i18n.t(`shortcuts.keyNames.${key}`) : key;

/** Typing `?` in a field is typing a question mark, not asking for help. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Each shortcut the app has, by where it works; its keys are alternatives ("or") or a sequence of presses. */
const GROUPS: { key: string; shortcuts: { key: string; keys: string[][] }[] }[] = [
  {
    key: 'general',
    shortcuts: [
      { key: 'palette', keys: [['mod', 'K']] },
      { key: 'help', keys: [['?']] },
      { key: 'skip', keys: [['Tab']] },
      { key: 'close', keys: [['esc']] },
    ],
  },
  {
    key: 'palette',
    shortcuts: [
      { key: 'paletteMove', keys: [['↑'], ['↓']] },
      { key: 'paletteRun', keys: [['Enter']] },
    ],
  },
  {
    key: 'chat',
    shortcuts: [
      { key: 'send', keys: [['Enter']] },
      { key: 'newline', keys: [['shift', 'Enter']] },
      { key: 'cancelRename', keys: [['esc']] },
    ],
  },
  {
    key: 'forms',
    shortcuts: [
      { key: 'submit', keys: [['Enter']] },
      { key: 'tag', keys: [['Enter'], [',']] },
      { key: 'pickDay', keys: [['←'], ['→'], ['↑'], ['↓']] },
      { key: 'chooseDay', keys: [['Enter']] },
      { key: 'amPm', keys: [['A'], ['P']] },
    ],
  },
];

/** The dialog that lists the keyboard shortcuts; `?` opens it anywhere but in a text field. */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const isOpen = useSyncExternalStore(subscribe, () => opened);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isEditable(e.target)) return;
      e.preventDefault();
      shortcutHelp.open();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const mod = modKey();
  return (
    <Modal
      opened={isOpen}
      onClose={shortcutHelp.close}
      title={t('shortcuts.title')}
      closeButtonProps={{ 'aria-label': t('shortcuts.close') }}
      size="lg"
      data-testid="shortcut-dialog"
    >
      {GROUPS.map((group) => (
        <Table key={group.key} mb="md" verticalSpacing={4} data-testid={`shortcut-group-${group.key}`}>
          <caption className="shortcut-caption">{t(`shortcuts.groups.${group.key}`)}</caption>
          <Table.Tbody>
            {group.shortcuts.map((s) => (
              <Table.Tr key={`${group.key}-${s.key}`} data-testid={`shortcut-${s.key}`}>
                <Table.Td>{t(`shortcuts.items.${s.key}`)}</Table.Td>
                <Table.Td className="shortcut-keys">
                  {s.keys.map((combo, i) => (
                    <Fragment key={i}>
                      {i > 0 && <span className="muted"> {t('shortcuts.or')} </span>}
                      {combo.map((k, j) => (
                        <Fragment key={k}>
                          {j > 0 && ' + '}
                          <Kbd>{keyName(k === 'mod' ? mod : k)}</Kbd>
                        </Fragment>
                      ))}
                    </Fragment>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ))}
    </Modal>
  );
}

/** The header's button for the dialog (phones and mice have no `?` to press). */
export function ShortcutHelpButton() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('shortcuts.title')}>
      <ActionIcon
        variant="default"
        size="lg"
        onClick={shortcutHelp.open}
        aria-label={t('shortcuts.title')}
        data-testid="shortcut-help-open"
      >
        ?
      </ActionIcon>
    </Tooltip>
  );
}
