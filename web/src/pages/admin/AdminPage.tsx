// Administration: users, teams, companies, permission sets, invites and record shares. Each
// tab has its own URL; every change goes through the RLS-guarded API.
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { PageHeader, TabPanel, Tabs } from '../../components/ui';
import { CompaniesTab } from './CompaniesTab';
import { InvitesTab } from './InvitesTab';
import { PermissionSetsTab } from './PermissionSetsTab';
import { SharesTab } from './SharesTab';
import { TeamsTab } from './TeamsTab';
import { UsersTab } from './UsersTab';

const TABS = [
  { id: 'users', label: 'Users' },
  { id: 'teams', label: 'Teams' },
  { id: 'companies', label: 'Companies' },
  { id: 'permission-sets', label: 'Permission sets' },
  { id: 'invites', label: 'Invites' },
  { id: 'shares', label: 'Record shares' },
] as const;
type Tab = (typeof TABS)[number]['id'];

export default function AdminPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const sub = location.pathname.replace(/\/$/, '').split('/')[2] as Tab | undefined;
  const tab: Tab = TABS.some((t) => t.id === sub) ? sub! : 'users';
  return (
    <>
      <PageHeader title="Admin" description="People, teams, companies and what they may do." />
      <Tabs<Tab> label="Administration" value={tab} tabs={[...TABS]} onChange={(t) => navigate(t === 'users' ? '/admin' : `/admin/${t}`)} />
      <TabPanel id={tab}>
        <Routes>
          <Route index element={<UsersTab />} />
          <Route path="teams" element={<TeamsTab />} />
          <Route path="companies" element={<CompaniesTab />} />
          <Route path="permission-sets" element={<PermissionSetsTab />} />
          <Route path="invites" element={<InvitesTab />} />
          <Route path="shares" element={<SharesTab />} />
          <Route path="*" element={<UsersTab />} />
        </Routes>
      </TabPanel>
    </>
  );
}
