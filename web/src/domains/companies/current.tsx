// The company the person is working for. Multi-company users pick one in the header (or "all
// companies"); screens scope location pickers, lists and requests by it. Remembered per user.
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

interface CurrentCompany {
  /** Leaf company slugs the user can work for (from my_context). */
  companies: string[];
  /** The chosen company, or null for "all my companies". */
  company: string | null;
  setCompany(slug: string | null): void;
}

const CurrentCompanyContext = createContext<CurrentCompany | null>(null);

const storageKey = (userId: string) => `mmg.company.${userId}`;

export function CurrentCompanyProvider({ userId, companies, children }: { userId: string; companies: string[]; children: ReactNode }) {
  const [company, setCompanyState] = useState<string | null>(() => {
    if (companies.length === 1) return companies[0];
    try {
      const saved = localStorage.getItem(storageKey(userId));
      if (saved && companies.includes(saved)) return saved;
    } catch { /* storage disabled */ }
    return null;
  });
  const value = useMemo<CurrentCompany>(() => ({
    companies,
    company: companies.length === 1 ? companies[0] : company,
    setCompany(slug) {
      setCompanyState(slug);
      try {
        if (slug) localStorage.setItem(storageKey(userId), slug);
        else localStorage.removeItem(storageKey(userId));
      } catch { /* storage disabled */ }
    },
  }), [companies, company, userId]);
  return <CurrentCompanyContext.Provider value={value}>{children}</CurrentCompanyContext.Provider>;
}

export function useCurrentCompany(): CurrentCompany {
  const ctx = useContext(CurrentCompanyContext);
  if (!ctx) throw new Error('useCurrentCompany outside CurrentCompanyProvider');
  return ctx;
}
