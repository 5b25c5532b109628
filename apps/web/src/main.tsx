import { createTheme, localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { dateComponents, LocalizedDates } from './ui/date-field';
import './api/client';
import './i18n';
import { restoreDensity } from './app/preferences';
import { HomePage } from './features/home/home-page';
import { createQueryClient } from './app/query-client';
import { AuthProvider } from './auth';
import { Layout, PublicOnly } from './layout';
import { ApiKeysPage } from './features/team/api-keys-page';
import { LeadDetailPage } from './features/leads/lead-detail-page';
import { LeadsPage } from './features/leads/leads-page';
import { NicheDetailPage, NichesPage } from './features/niches/niches-page';
import { CampaignDetailPage, CampaignsPage } from './features/campaigns/campaigns-page';
import { AutomationDetailPage, AutomationPage } from './features/automation/automation-page';
import { SegmentDetailPage, SegmentsPage } from './features/segments/segments-page';
import { WebhooksPage } from './features/webhooks/webhooks-page';
import { EarningsPage } from './features/earnings/earnings-page';
import { SubscriberDetailPage, SubscribersPage } from './features/subscribers/subscribers-page';
import { ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage } from './features/auth/auth-pages';
import { AcceptInvitationPage } from './features/auth/accept-invitation-page';
import { AgentsPage } from './features/agents/agents-page';
import { AutoReplyPage, InboxPage } from './features/auto-replies/auto-reply-page';
import { ChatPage } from './features/chat/chat-page';
import { ContentIdeasPage } from './features/content/content-ideas-page';
import { StudioPage } from './features/studio/studio-page';
import { ProfilePage } from './features/profile/profile-page';
import { UsersPage } from './features/team/users-page';
import { BillingPage } from './features/billing/billing-page';
import { NotificationsPage } from './features/analytics/notifications';
import { PrivacyPage } from './features/privacy/privacy-page';
import { ForumPage, ForumTopicPage } from './features/forum/forum-page';
import './styles.css';
import './ai.css';

const queryClient = createQueryClient();

const theme = createTheme({
  primaryColor: 'violet',
  // the ring shows for keyboard users only, and strongly (see styles.css)
  focusRing: 'auto',
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  // Mantine's dark shades in the app's blue-grey (styles.css): text, dimmed, borders, cards, header and page
  colors: {
    dark: [
      '#e6e8ee',
      '#c4c9d6',
      '#9aa2b5',
      '#6f778b',
      '#4a5064',
      '#343846',
      '#2a2d38',
      '#1f222b',
      '#1a1c24',
      '#16181f',
    ],
  },
  components: dateComponents,
});
const colorSchemeManager = localStorageColorSchemeManager({ key: 'crescendo.color-scheme' });
restoreDensity();

function App() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <PublicOnly>
            <LoginPage />
          </PublicOnly>
        }
      />
      <Route
        path="/register"
        element={
          <PublicOnly>
            <RegisterPage />
          </PublicOnly>
        }
      />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/api-keys" element={<ApiKeysPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/billing" element={<BillingPage />} />
        <Route path="/leads" element={<LeadsPage />} />
        <Route path="/leads/:id" element={<LeadDetailPage />} />
        <Route path="/niches" element={<NichesPage />} />
        <Route path="/niches/:id" element={<NicheDetailPage />} />
        <Route path="/campaigns" element={<CampaignsPage />} />
        <Route path="/campaigns/:id" element={<CampaignDetailPage />} />
        <Route path="/subscribers" element={<SubscribersPage />} />
        <Route path="/subscribers/:id" element={<SubscriberDetailPage />} />
        <Route path="/earnings" element={<EarningsPage />} />
        <Route path="/webhooks" element={<WebhooksPage />} />
        <Route path="/chat" element={<ChatPage />} />
        <Route path="/agents" element={<AgentsPage />} />
        <Route path="/auto-replies" element={<AutoReplyPage />} />
        <Route path="/inbox" element={<InboxPage />} />
        <Route path="/content-ideas" element={<ContentIdeasPage />} />
        <Route path="/studio" element={<StudioPage />} />
        <Route path="/segments" element={<SegmentsPage />} />
        <Route path="/segments/:id" element={<SegmentDetailPage />} />
        <Route path="/automation" element={<AutomationPage />} />
        <Route path="/automation/:id" element={<AutomationDetailPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/privacy" element={<PrivacyPage />} />
        <Route path="/forum" element={<ForumPage />} />
        <Route path="/forum/:id" element={<ForumTopicPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      {/* at the bottom, a toast never hides the page header's actions; three at most */}
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <HashRouter>
          <AuthProvider>
            <LocalizedDates>
              <App />
            </LocalizedDates>
          </AuthProvider>
        </HashRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
