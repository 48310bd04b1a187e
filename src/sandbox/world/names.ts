/** Name banks for generated people and companies. Plain data, no cue words (see transcript-bank). */

export const FIRST_NAMES = [
  'Avery', 'Blake', 'Camila', 'Dana', 'Elena', 'Farah', 'Gavin', 'Hana', 'Isaac', 'Jamal', 'Keiko',
  'Liam', 'Maya', 'Nikhil', 'Olivia', 'Priya', 'Quinn', 'Rafael', 'Sofia', 'Tomas', 'Uma', 'Victor',
  'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Carlos', 'Daria', 'Ethan', 'Fiona', 'Grace',
  'Hector', 'Ines', 'Jonah', 'Kara', 'Lucas', 'Mei', 'Noah', 'Omar', 'Paula', 'Rosa', 'Sam', 'Tara',
  'Ulrich', 'Vera', 'Will', 'Yara', 'Zach', 'Mike', 'Sarah', 'Derek', 'Leah', 'Marcus', 'Nina',
] as const;

export const LAST_NAMES = [
  'Adams', 'Bennett', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen',
  'Kowalski', 'Lopez', 'Mensah', 'Novak', "O'Brien", 'Patel', 'Quinlan', 'Rossi', 'Silva', 'Tanaka',
  'Usman', 'Varga', 'Walsh', 'Xu', 'Young', 'Zimmer', 'Brooks', 'Carter', 'Dubois', 'Ellis', 'Foster',
  'Grant', 'Hughes', 'Iyer', 'Keller', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Pereira',
  'Reyes', 'Schmidt', 'Thompson', 'Vasquez', 'Whitfield', 'Kim', 'Nguyen', 'Murphy', 'Sato', 'Berg',
] as const;

export const SELLER_TITLES = ['Account Executive', 'Senior Account Executive', 'Enterprise Account Executive'] as const;
export const SDR_TITLES = ['Sales Development Representative', 'Senior SDR', 'Business Development Rep'] as const;
export const MANAGER_TITLES = ['Sales Manager', 'Regional Sales Manager', 'SDR Manager'] as const;

export const PROSPECT_TITLES = [
  'VP of Sales', 'Director of Revenue Operations', 'Head of Sales Enablement', 'CRO',
  'Sales Operations Manager', 'IT Director', 'Head of Engineering', 'Procurement Lead',
  'Chief Information Officer', 'Enablement Program Manager', 'Regional Sales Director',
] as const;

export const INDUSTRIES = [
  'Manufacturing', 'Healthcare', 'Financial Services', 'Retail', 'Logistics', 'Software',
  'Media', 'Energy', 'Telecommunications', 'Education',
] as const;

/** Prospect companies beyond the three well-known deals. */
export const PROSPECT_COMPANIES = [
  'Hooli', 'Vandelay Industries', 'Soylent Foods', 'Wayne Logistics', 'Cyberdyne Systems',
  'Tyrell Analytics', 'Wonka Brands', 'Massive Dynamic', 'Pied Piper', 'Dunder Mifflin Paper',
  'Oscorp Labs', 'Gringotts Financial', 'Monarch Freight', 'Blue Sun Retail', 'Aperture Health',
  'Virtucon Media', 'Bluth Properties', 'Sterling Cooper', 'Nakatomi Trading', 'Duff Beverages',
  'Kramerica', 'Prestige Worldwide', 'Zorg Energy', 'Ollivander Supply', 'Stark Mobility',
  'Rekall Travel', 'Omni Consumer Goods', 'Weyland Freight', 'Gekko Capital', 'Planet Express',
] as const;

export const CITIES = ['Austin', 'Denver', 'Chicago', 'Toronto', 'Dublin', 'Boston', 'Seattle', 'Atlanta'] as const;

export const DEAL_STAGES = [
  'Qualification', 'Discovery', 'Technical Validation', 'Proposal', 'Negotiation', 'Closed Won',
] as const;

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
