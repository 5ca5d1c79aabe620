/*
 * Who acts on a booking order at which stage (spec §3.5, §6.3; fixes §11.4). The original let
 * anyone press Approve; here each stage has its own permission, held per company:
 *
 *   sales:booking_orders:coordinate  coordinator review: approve to head of sales, reject into
 *                                    editing, edit, resubmit, cancel (coordinator stage)
 *   sales:booking_orders:approve     head-of-sales review: final approval (reference, occupancy,
 *                                    finance) or rejection back to the coordinator; cancel
 *   sales:booking_orders:receive     finance: told about, and reads, approved booking orders
 *
 * `manage` implies every action of the resource (one matcher, §6.1), so the shipped coordinator
 * and head-of-sales profiles can no longer hold `sales:booking_orders:*`: a coordinator holding
 * `approve` would be their own head of sales. They get explicit lists instead; sales_manager
 * (sales:*:*) and administrators keep acting at any stage, by design.
 */

insert into public.permissions (permission, description) values
  ('sales:booking_orders:coordinate',
   'Coordinator review of the booking orders of the holder''s companies: approve to head of sales, reject, edit, resubmit, cancel.'),
  ('sales:booking_orders:approve',
   'Head-of-sales review of the booking orders of the holder''s companies: final approval or rejection back to the coordinator, cancel.'),
  ('sales:booking_orders:receive',
   'Finance: notified of, and reads, the approved booking orders of the holder''s companies.')
on conflict (permission) do update set description = excluded.description;

-- Replace the wildcard grants of the two reviewer profiles with what each stage needs.
delete from public.profile_permissions pp
using public.profiles p
where p.id = pp.profile_id
  and p.name in ('coordinator', 'head_of_sales')
  and pp.permission = 'sales:booking_orders:*';

insert into public.profile_permissions (profile_id, permission)
select p.id, g.permission
from (values
  ('coordinator', 'sales:booking_orders:read'),
  ('coordinator', 'sales:booking_orders:create'),
  ('coordinator', 'sales:booking_orders:update'),
  ('coordinator', 'sales:booking_orders:coordinate'),
  ('head_of_sales', 'sales:booking_orders:read'),
  ('head_of_sales', 'sales:booking_orders:approve'),
  ('finance', 'sales:booking_orders:receive')
) as g (profile, permission)
join public.profiles p on p.name = g.profile
on conflict do nothing;
