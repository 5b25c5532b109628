import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKeyResponseDto } from '@crescendo/api-client';

/** A new key's secret, shown this once, with a copy button. */
export function KeySecret({ created, onDone }: { created: CreatedApiKeyResponseDto; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="card secret" data-testid="apikey-secret-panel">
      <h2>{t('team.createdTitle', { name: created.name })}</h2>
      <p>{t('team.copyNow')}</p>
      <div className="secret-row">
        <code data-testid="apikey-secret">{created.key}</code>
        <button type="button" onClick={copy} data-testid="apikey-copy">
          {copied === 'yes' ? t('team.copied') : t('team.copy')}
        </button>
      </div>
      {copied === 'no' && <small className="field-error">{t('team.noClipboard')}</small>}
      <button type="button" className="link" onClick={onDone} data-testid="apikey-done">
        {t('team.stored')}
      </button>
    </div>
  );
}
