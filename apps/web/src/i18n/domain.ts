/** Names of the product's own values shared by several pages: events, lead timeline (mounted under "domain"). */
export const en = {
  events: {
    lead_created: 'Lead created',
    lead_updated: 'Lead updated',
    lead_status_changed: 'Lead status changed',
    lead_tag_added: 'Tag added to a lead',
    lead_deleted: 'Lead deleted',
    campaign_status_changed: 'Campaign status changed',
    import_completed: 'Import completed',
    webhook_received: 'Webhook received',
  },
  automation: 'Automation: {{action}}',
  timeline: {
    created: 'Lead created',
    createdAs: 'Lead created as {{status}}',
    statusChanged: 'Status changed from {{from}} to {{to}}',
    changed: 'Changed {{changes}}',
    updated: 'Updated',
    deleted: 'Lead deleted',
    restored: 'Lead restored',
  },
  job: {
    starting: 'Starting the job…',
    linkValid: 'link valid until {{date}}',
    statuses: {
      PENDING: 'Waiting',
      PROCESSING: 'In progress',
      COMPLETED: 'Completed',
      FAILED: 'Failed',
    },
  },
};

export const fr: typeof en = {
  events: {
    lead_created: 'Prospect créé',
    lead_updated: 'Prospect modifié',
    lead_status_changed: 'Statut d’un prospect changé',
    lead_tag_added: 'Étiquette ajoutée à un prospect',
    lead_deleted: 'Prospect supprimé',
    campaign_status_changed: 'Statut d’une campagne changé',
    import_completed: 'Import terminé',
    webhook_received: 'Webhook reçu',
  },
  automation: 'Automatisation : {{action}}',
  timeline: {
    created: 'Prospect créé',
    createdAs: 'Prospect créé au statut {{status}}',
    statusChanged: 'Statut passé de {{from}} à {{to}}',
    changed: 'Modifié : {{changes}}',
    updated: 'Modifié',
    deleted: 'Prospect supprimé',
    restored: 'Prospect restauré',
  },
  job: {
    starting: 'Démarrage de la tâche…',
    linkValid: 'lien valable jusqu’au {{date}}',
    statuses: {
      PENDING: 'En attente',
      PROCESSING: 'En cours',
      COMPLETED: 'Terminée',
      FAILED: 'Échouée',
    },
  },
};

/** "lead.status_changed" → its message key (i18next reads dots as nesting). */
export const eventKey = (event: string) => `domain.events.${event.replace(/\./g, '_')}`;
