// The shape of public.my_context() (jsonb, so not described by the generated types).

export interface ContextTeam {
  id: string;
  name: string;
  display_name: string;
  parent_team_id: string | null;
  role: 'member' | 'leader';
}

export interface ContextModule {
  name: string;
  display_name: string;
  icon: string | null;
  is_default: boolean;
  config: { tools?: string[] } & Record<string, unknown>;
}

export interface MyContext {
  user_id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  is_active: boolean;
  is_admin: boolean;
  profile: { id: string; name: string; display_name: string } | null;
  permissions: string[];
  permission_sets: { name: string; display_name: string; expires_at: string | null }[];
  companies: string[];
  primary_company: string | null;
  teams: ContextTeam[];
  visible_user_ids: string[];
  modules: ContextModule[];
}
