// Mockups: generate, history and (for setup permission) billboard setup, each with its URL.
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { Alert, PageHeader, TabPanel, Tabs } from '../../components/ui';
import { useAccess } from '../../domains/session/access';
import { MockupGenerate } from './MockupGenerate';
import { MockupHistory } from './MockupHistory';
import { MockupSetup } from './MockupSetup';

type Tab = 'generate' | 'history' | 'setup';

export default function MockupsPage() {
  const { has } = useAccess();
  const location = useLocation();
  const navigate = useNavigate();
  const sub = location.pathname.replace(/\/$/, '').split('/')[2];
  const tab: Tab = sub === 'history' ? 'history' : sub === 'setup' ? 'setup' : 'generate';
  const tabs: { id: Tab; label: string }[] = [{ id: 'generate', label: 'Generate' }, { id: 'history', label: 'History' }];
  if (has('sales:mockups:setup')) tabs.push({ id: 'setup', label: 'Setup' });
  return (
    <>
      <PageHeader title="Mockups" description="Composite a creative onto real billboard photos." />
      <Tabs<Tab> label="Mockup views" value={tab} tabs={tabs} onChange={(t) => navigate(t === 'generate' ? '/mockups' : `/mockups/${t}`)} />
      <TabPanel id={tab}>
        <Routes>
          <Route index element={<MockupGenerate />} />
          <Route path="history" element={<MockupHistory />} />
          <Route path="setup" element={has('sales:mockups:setup') ? <MockupSetup /> : (
            <Alert tone="warning" title="No access to billboard setup">
              Setting up billboard photos and frames needs the mockup setup permission; ask an administrator.
            </Alert>
          )} />
        </Routes>
      </TabPanel>
    </>
  );
}
