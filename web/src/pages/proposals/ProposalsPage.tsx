// Proposals: builder and history, each with its own URL (/proposals, /proposals/history).
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { PageHeader, TabPanel, Tabs } from '../../components/ui';
import { ProposalBuilder } from './ProposalBuilder';
import { ProposalHistory } from './ProposalHistory';

type Tab = 'new' | 'history';

export default function ProposalsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const tab: Tab = location.pathname.replace(/\/$/, '').endsWith('/history') ? 'history' : 'new';
  return (
    <>
      <PageHeader title="Proposals" description="Build a financial proposal with live totals, generate the PDF and find past proposals." />
      <Tabs<Tab>
        label="Proposal views"
        value={tab}
        onChange={(t) => navigate(t === 'new' ? '/proposals' : '/proposals/history')}
        tabs={[{ id: 'new', label: 'New proposal' }, { id: 'history', label: 'History' }]}
      />
      <TabPanel id={tab}>
        <Routes>
          <Route index element={<ProposalBuilder />} />
          <Route path="history" element={<ProposalHistory />} />
        </Routes>
      </TabPanel>
    </>
  );
}
