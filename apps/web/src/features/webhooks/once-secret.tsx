import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A secret shown once, with a copy button. */
export function OnceSecret({ secret, label, testId }: { secret: string; label: string; testId: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="card secret">
      <p>
        <strong>{label}</strong> {t('webhooks.secretOnce')}
      </p>
      <div className="secret-row">
        <code data-testid={testId}>{secret}</code>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>
          {copied ? t('webhooks.copied') : t('webhooks.copy')}
        </button>
      </div>
    </div>
  );
}
