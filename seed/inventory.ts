// Demo inventory: believable billboard and screen locations of the four companies, with the
// rate cards sales people quote from. SOV is in percent (spot ÷ loop); fees are AED.
export interface SeedLocation {
  company: 'backlite_dubai' | 'backlite_abudhabi' | 'backlite_uk' | 'viola';
  key: string;
  name: string;
  type: 'digital' | 'static';
  series?: string;
  width: string;
  height: string;
  faces: number;
  spot?: number;
  loop?: number;
  uploadFee?: number;
  city: string;
  area: string;
  country: string;
  address: string;
  lat: number;
  lng: number;
  /** Net rental for 4 weeks, in the company's currency. */
  rate4w: number;
  currency: 'AED' | 'GBP';
  portrait?: boolean;
  night?: boolean;
}

const dxb = { company: 'backlite_dubai', city: 'Dubai', country: 'United Arab Emirates', currency: 'AED' } as const;
const auh = { company: 'backlite_abudhabi', city: 'Abu Dhabi', country: 'United Arab Emirates', currency: 'AED' } as const;
const uk = { company: 'backlite_uk', country: 'United Kingdom', currency: 'GBP' } as const;
const vio = { company: 'viola', city: 'Dubai', country: 'United Arab Emirates', currency: 'AED' } as const;

export const LOCATIONS: SeedLocation[] = [
  { ...dxb, key: 'dubai_gateway', name: 'The Dubai Gateway', type: 'digital', series: 'The Landmark Series', width: '40m', height: '10m', faces: 2, spot: 16, loop: 96, uploadFee: 3000, area: 'Sheikh Zayed Road', address: 'Sheikh Zayed Road, northbound, before Interchange 1', lat: 25.2174, lng: 55.2798, rate4w: 1250000, night: true },
  { ...dxb, key: 'jumeirah_beach_screen', name: 'JBR Beachfront Screen', type: 'digital', series: 'The Landmark Series', width: '24m', height: '8m', faces: 1, spot: 12, loop: 72, uploadFee: 3000, area: 'Jumeirah Beach Residence', address: 'The Walk, JBR', lat: 25.0780, lng: 55.1336, rate4w: 620000, night: true },
  { ...dxb, key: 'marina_mega_screen', name: 'Dubai Marina Mega Screen', type: 'digital', series: 'Digital Icons', width: '30m', height: '12m', faces: 1, spot: 16, loop: 128, uploadFee: 3500, area: 'Dubai Marina', address: 'Al Marsa Street, Marina Walk', lat: 25.0805, lng: 55.1403, rate4w: 540000 },
  { ...dxb, key: 'business_bay_bridge', name: 'Business Bay Crossing', type: 'digital', series: 'Digital Icons', width: '18m', height: '6m', faces: 2, spot: 10, loop: 60, uploadFee: 3000, area: 'Business Bay', address: 'Al Khail Road bridge, both directions', lat: 25.1856, lng: 55.2657, rate4w: 410000 },
  { ...dxb, key: 'downtown_boulevard_pillars', name: 'Downtown Boulevard Pillars', type: 'digital', width: '2m', height: '4m', faces: 12, spot: 10, loop: 80, uploadFee: 2500, area: 'Downtown Dubai', address: 'Mohammed Bin Rashid Boulevard', lat: 25.1972, lng: 55.2744, rate4w: 280000, portrait: true },
  { ...dxb, key: 'dxb_terminal3_arrivals', name: 'DXB Terminal 3 Arrivals Wall', type: 'digital', width: '12m', height: '3m', faces: 1, spot: 15, loop: 90, uploadFee: 4000, area: 'Dubai International Airport', address: 'Terminal 3, arrivals hall', lat: 25.2486, lng: 55.3524, rate4w: 365000 },
  { ...dxb, key: 'szr_unipole_north', name: 'Sheikh Zayed Road Unipole North', type: 'static', width: '14m', height: '5m', faces: 2, area: 'Al Barsha', address: 'Sheikh Zayed Road near Mall of the Emirates', lat: 25.1181, lng: 55.2006, rate4w: 195000 },
  { ...dxb, key: 'al_khail_megacom', name: 'Al Khail Road Megacom', type: 'static', width: '20m', height: '8m', faces: 1, area: 'Al Quoz', address: 'Al Khail Road, Interchange 3', lat: 25.1420, lng: 55.2320, rate4w: 230000 },
  { ...dxb, key: 'emirates_road_tri_vision', name: 'Emirates Road Tri-Vision', type: 'static', width: '12m', height: '4m', faces: 3, area: 'Al Warqa', address: 'Emirates Road E611 southbound', lat: 25.1876, lng: 55.4402, rate4w: 120000 },
  { ...dxb, key: 'palm_gateway_arch', name: 'Palm Gateway Arch', type: 'static', series: 'The Landmark Series', width: '25m', height: '6m', faces: 2, area: 'Palm Jumeirah', address: 'Palm Jumeirah trunk entrance', lat: 25.1124, lng: 55.1390, rate4w: 310000 },
  { ...dxb, key: 'al_safa_street_static', name: 'Al Safa Street Lamp Posts', type: 'static', width: '1.2m', height: '1.8m', faces: 40, area: 'Al Safa', address: 'Al Wasl Road to Al Safa Park', lat: 25.1790, lng: 55.2430, rate4w: 85000, portrait: true },
  { ...dxb, key: 'deira_creek_screen', name: 'Deira Creek Screen', type: 'digital', width: '10m', height: '5m', faces: 1, spot: 12, loop: 96, uploadFee: 2500, area: 'Deira', address: 'Baniyas Road, facing the Creek', lat: 25.2669, lng: 55.3110, rate4w: 175000, night: true },

  { ...auh, key: 'corniche_landmark', name: 'Corniche Landmark Screen', type: 'digital', series: 'The Landmark Series', width: '28m', height: '9m', faces: 1, spot: 16, loop: 96, uploadFee: 3000, area: 'Al Khalidiyah', address: 'Corniche Road West', lat: 24.4749, lng: 54.3426, rate4w: 480000, night: true },
  { ...auh, key: 'saadiyat_bridge', name: 'Saadiyat Bridge Gantry', type: 'digital', width: '20m', height: '5m', faces: 2, spot: 12, loop: 84, uploadFee: 3000, area: 'Saadiyat Island', address: 'Sheikh Khalifa Highway, Saadiyat bridge', lat: 24.5141, lng: 54.4106, rate4w: 350000 },
  { ...auh, key: 'yas_island_drive', name: 'Yas Island Drive Screens', type: 'digital', series: 'Digital Icons', width: '8m', height: '4m', faces: 6, spot: 10, loop: 70, uploadFee: 2500, area: 'Yas Island', address: 'Yas Leisure Drive', lat: 24.4880, lng: 54.6070, rate4w: 260000 },
  { ...auh, key: 'airport_road_unipole', name: 'Airport Road Unipole', type: 'static', width: '14m', height: '5m', faces: 2, area: 'Al Maqta', address: 'Airport Road E20, inbound', lat: 24.4100, lng: 54.4950, rate4w: 140000 },
  { ...auh, key: 'maqta_bridge_static', name: 'Maqta Bridge Banner', type: 'static', width: '30m', height: '4m', faces: 1, area: 'Al Maqta', address: 'Maqta Bridge approach', lat: 24.4066, lng: 54.4951, rate4w: 165000 },
  { ...auh, key: 'mussafah_megasite', name: 'Mussafah Megasite', type: 'static', width: '18m', height: '6m', faces: 1, area: 'Mussafah', address: 'E30 by Mussafah Industrial', lat: 24.3582, lng: 54.4989, rate4w: 95000 },

  { ...uk, key: 'cromwell_road_screen', name: 'Cromwell Road Screen', type: 'digital', width: '12m', height: '4m', faces: 1, spot: 10, loop: 60, uploadFee: 600, city: 'London', area: 'Earls Court', address: 'A4 Cromwell Road, westbound', lat: 51.4936, lng: -0.1960, rate4w: 68000, night: true },
  { ...uk, key: 'westway_gantry', name: 'Westway Gantry', type: 'digital', width: '15m', height: '5m', faces: 2, spot: 10, loop: 60, uploadFee: 600, city: 'London', area: 'White City', address: 'A40 Westway, inbound', lat: 51.5171, lng: -0.2246, rate4w: 74000 },
  { ...uk, key: 'canary_wharf_atrium', name: 'Canary Wharf Atrium Screens', type: 'digital', width: '3m', height: '5m', faces: 8, spot: 10, loop: 80, uploadFee: 450, city: 'London', area: 'Canary Wharf', address: 'Canada Place mall atrium', lat: 51.5049, lng: -0.0195, rate4w: 39000, portrait: true },
  { ...uk, key: 'm4_heathrow_48sheet', name: 'M4 Heathrow 48-Sheet', type: 'static', width: '6m', height: '3m', faces: 1, city: 'London', area: 'Hounslow', address: 'M4 junction 3, eastbound', lat: 51.4867, lng: -0.4215, rate4w: 9500 },
  { ...uk, key: 'manchester_mancunian_way', name: 'Mancunian Way Wrap', type: 'static', width: '24m', height: '6m', faces: 1, city: 'Manchester', area: 'Ardwick', address: 'A57(M) Mancunian Way', lat: 53.4699, lng: -2.2330, rate4w: 18500 },

  { ...vio, key: 'viola_01a', name: '01A', type: 'static', width: '12m', height: '4m', faces: 2, area: 'Al Quoz', address: 'Umm Suqeim Road', lat: 25.1503, lng: 55.2240, rate4w: 72000 },
  { ...vio, key: 'viola_02b', name: '02B', type: 'static', width: '12m', height: '4m', faces: 2, area: 'Al Barsha South', address: 'Hessa Street', lat: 25.0733, lng: 55.2120, rate4w: 68000 },
  { ...vio, key: 'viola_04b', name: '04B', type: 'static', width: '8m', height: '3m', faces: 1, area: 'Jumeirah Village Circle', address: 'Al Khail Road exit 38', lat: 25.0600, lng: 55.2090, rate4w: 45000 },
  { ...vio, key: 'viola_07c', name: '07C', type: 'digital', width: '9m', height: '3m', faces: 1, spot: 10, loop: 60, uploadFee: 2000, area: 'Al Qusais', address: 'Damascus Street', lat: 25.2810, lng: 55.3770, rate4w: 98000, night: true },
  { ...vio, key: 'viola_11a', name: '11A', type: 'digital', width: '6m', height: '3m', faces: 2, spot: 10, loop: 60, uploadFee: 2000, area: 'Dubai Silicon Oasis', address: 'Dubai-Al Ain Road', lat: 25.1200, lng: 55.3790, rate4w: 76000 },
  { ...vio, key: 'viola_15c', name: '15C', type: 'static', width: '10m', height: '4m', faces: 1, area: 'Mirdif', address: 'Tripoli Street', lat: 25.2190, lng: 55.4200, rate4w: 52000 },
];

/** Share of voice in percent for a digital location: one spot in the loop, two decimals. */
export function sovPercent(l: SeedLocation): number | null {
  if (l.type !== 'digital' || !l.spot || !l.loop) return null;
  return Math.round((l.spot / l.loop) * 10000) / 100;
}

export const TEAMS = [
  { name: 'backlite_sales', display: 'Backlite Sales', parent: null, company: 'backlite' },
  { name: 'dubai_digital', display: 'Dubai Digital', parent: 'backlite_sales', company: 'backlite_dubai' },
  { name: 'dubai_digital_landmark', display: 'Dubai Digital — Landmark Desk', parent: 'dubai_digital', company: 'backlite_dubai' },
  { name: 'uk_sales', display: 'UK Sales', parent: null, company: 'backlite_uk' },
  { name: 'viola_sales', display: 'Viola Sales', parent: null, company: 'viola' },
] as const;
