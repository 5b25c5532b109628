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
  permissions: {
    leads_read: 'Read leads, niches, segments and subscribers',
    leads_write: 'Create, change, import and delete leads, niches, segments and subscribers',
    campaigns_read: 'Read campaigns and their statistics',
    campaigns_write: 'Create, change and delete campaigns and automation',
    agents_read: 'Read AI agents and their logs',
    agents_write: 'Create, change, start and stop AI agents',
    chat_use: 'Use AI chat and generation tools',
    content_read: 'Read the content library and schedule',
    content_write: 'Create, upload and schedule content',
    analytics_read: 'Read analytics and statistics',
    billing_manage: 'Manage the subscription and payments',
    settings_read: 'Read workspace settings',
    settings_write: 'Change workspace settings and integrations',
    logs_read: 'Read audit, agent and error logs',
    'api-keys_manage': 'Create, list and revoke API keys',
    users_read: 'List the members of the workspace',
    admin_users: 'Invite, change, deactivate and remove members',
  },
  roles: {
    owner: 'Owner',
    admin: 'Administrator',
    member: 'Member',
    viewer: 'Viewer',
  },
  roleDescriptions: {
    owner: 'Owns the workspace: every permission; cannot be removed or demoted',
    admin: 'Every permission, including members, billing and settings',
    member: 'Works on leads, campaigns, agents, chat and content; reads the rest',
    viewer: 'Reads leads, campaigns, agents, content, analytics and settings',
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
  permissions: {
    leads_read: 'Lire les prospects, niches, segments et abonnés',
    leads_write: 'Créer, modifier, importer et supprimer prospects, niches, segments et abonnés',
    campaigns_read: 'Lire les campagnes et leurs statistiques',
    campaigns_write: 'Créer, modifier et supprimer campagnes et automatisations',
    agents_read: 'Lire les agents IA et leurs journaux',
    agents_write: 'Créer, modifier, démarrer et arrêter les agents IA',
    chat_use: 'Utiliser le chat IA et les outils de génération',
    content_read: 'Lire la bibliothèque de contenus et le calendrier',
    content_write: 'Créer, téléverser et planifier des contenus',
    analytics_read: 'Lire les analyses et statistiques',
    billing_manage: 'Gérer l’abonnement et les paiements',
    settings_read: 'Lire les paramètres de l’espace de travail',
    settings_write: 'Modifier les paramètres et intégrations de l’espace de travail',
    logs_read: 'Lire les journaux d’audit, des agents et des erreurs',
    'api-keys_manage': 'Créer, lister et révoquer les clés d’API',
    users_read: 'Lister les membres de l’espace de travail',
    admin_users: 'Inviter, modifier, désactiver et retirer des membres',
  },
  roles: {
    owner: 'Propriétaire',
    admin: 'Administrateur',
    member: 'Membre',
    viewer: 'Lecteur',
  },
  roleDescriptions: {
    owner: 'Possède l’espace de travail : toutes les permissions ; ne peut être retiré ni rétrogradé',
    admin: 'Toutes les permissions, y compris membres, facturation et paramètres',
    member: 'Travaille sur prospects, campagnes, agents, chat et contenus ; lit le reste',
    viewer: 'Lit prospects, campagnes, agents, contenus, analyses et paramètres',
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

/** "leads:read" → its description in the UI's language (":" separates namespaces in i18next). */
export const permissionKey = (permission: string) => `domain.permissions.${permission.replace(':', '_')}`;
