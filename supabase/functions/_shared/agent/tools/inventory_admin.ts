// Inventory administration: add and delete a location through public.add_location /
// public.delete_location (migration 20261122060000), which write <company>.locations as the
// caller, so the company schema's RLS has the last word.
import { ToolError, type ToolSpec } from '../types.ts';
import { MONEY_SCHEMA, rpc } from './common.ts';

interface AddArgs {
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  [field: string]: unknown;
}

const addLocation: ToolSpec<AddArgs> = {
  name: 'add_location',
  description: "Add a location to a company's inventory (administrators).",
  parameters: {
    type: 'object',
    required: ['company', 'location_key', 'display_name', 'display_type'],
    properties: {
      company: { type: 'string', minLength: 2, description: 'Company slug, e.g. backlite_dubai.' },
      location_key: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9_]{0,80}$',
        description: 'Stable key: lower-case letters, digits and underscores.',
      },
      display_name: { type: 'string', minLength: 1, maxLength: 200 },
      display_type: { type: 'string', enum: ['digital', 'static'] },
      series: { type: 'string', maxLength: 200 },
      height: { type: 'string', maxLength: 20, description: 'e.g. "6m".' },
      width: { type: 'string', maxLength: 20, description: 'e.g. "18m".' },
      number_of_faces: { type: 'integer', minimum: 1, maximum: 100 },
      sov_percent: { type: 'number', minimum: 1, maximum: 100, description: 'Percent, digital.' },
      spot_duration: { type: 'integer', minimum: 1, maximum: 3600, description: 'Seconds.' },
      loop_duration: { type: 'integer', minimum: 1, maximum: 3600, description: 'Seconds.' },
      upload_fee: { ...MONEY_SCHEMA, description: 'AED, digital.' },
      city: { type: 'string', maxLength: 100 },
      area: { type: 'string', maxLength: 100 },
      country: { type: 'string', maxLength: 100 },
      address: { type: 'string', maxLength: 300 },
      gps_lat: { type: 'number', minimum: -90, maximum: 90 },
      gps_lng: { type: 'number', minimum: -180, maximum: 180 },
      notes: { type: 'string', maxLength: 2000 },
    },
    additionalProperties: false,
  },
  permission: 'assets:locations:create',
  workflow: 'location_management',
  async run(ctx, args) {
    const { company, ...location } = args;
    if (typeof location.upload_fee === 'string') {
      location.upload_fee = Number(location.upload_fee.replace(/[,\s]|AED/gi, ''));
    }
    const row = await rpc<Record<string, unknown>>(
      ctx.db,
      'add_location',
      { company, location },
      'adding the location',
    );
    return {
      ok: true,
      data: {
        added: {
          company: row.company,
          key: row.location_key,
          name: row.display_name,
          type: row.display_type,
        },
      },
      summary: `added ${row.display_name}`,
    };
  },
};

interface DeleteArgs {
  company: string;
  location_key: string;
  confirm: boolean;
}

const deleteLocation: ToolSpec<DeleteArgs> = {
  name: 'delete_location',
  description:
    'Delete a location with its photos, frames and rate cards (administrators). Only after the ' +
    'person explicitly confirmed; refused while the location has bookings that are not over.',
  parameters: {
    type: 'object',
    required: ['company', 'location_key', 'confirm'],
    properties: {
      company: { type: 'string', minLength: 2 },
      location_key: { type: 'string', minLength: 1 },
      confirm: { type: 'boolean', description: 'true only after the person said yes.' },
    },
    additionalProperties: false,
  },
  permission: 'assets:locations:delete',
  workflow: 'location_management',
  async run(ctx, args) {
    if (args.confirm !== true) {
      throw new ToolError(
        'confirmation_required',
        "deleting needs the person's explicit confirmation",
        'Ask them, then call again with confirm = true.',
      );
    }
    const row = await rpc<Record<string, unknown>>(ctx.db, 'delete_location', {
      company: args.company,
      location_key: args.location_key,
    }, 'deleting the location');
    return {
      ok: true,
      data: { deleted: { company: row.company, key: row.location_key, name: row.display_name } },
      summary: `deleted ${row.display_name}`,
    };
  },
};

export const inventoryAdminTools: ToolSpec[] = [addLocation, deleteLocation];
