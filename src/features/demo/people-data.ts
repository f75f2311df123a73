/** Name and place lists for the demo households (an invented suburban school district). */
/* 'Smith' is not in LAST_NAMES on purpose: only the fixed first household is the Smiths, so the spec's "smi" search shows them and Smithson together. */

export const LAST_NAMES = [
  'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Patel', 'Kim', 'Chen', 'Okafor', "O'Brien", 'Kowalski', 'Novak', 'Schneider', 'Fischer', 'Murphy',
  'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward', 'Cox', 'Diaz',
  'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes',
] as const;

export const ADULT_FIRST = [
  'Michael', 'Jennifer', 'David', 'Sarah', 'James', 'Jessica', 'Robert', 'Amanda', 'John', 'Melissa',
  'Christopher', 'Stephanie', 'Daniel', 'Nicole', 'Matthew', 'Elizabeth', 'Brian', 'Heather', 'Kevin', 'Rachel',
  'Jason', 'Laura', 'Mark', 'Angela', 'Steven', 'Rebecca', 'Andrew', 'Michelle', 'Eric', 'Kimberly',
  'Carlos', 'Maria', 'Anh', 'Priya', 'Omar', 'Fatima', 'Wei', 'Grace', 'Tomasz', 'Ana',
] as const;

export const CHILD_FIRST = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Isabella', 'Mason',
  'Mia', 'Ethan', 'Charlotte', 'Logan', 'Amelia', 'Aiden', 'Harper', 'Jackson', 'Evelyn', 'Caleb',
  'Abigail', 'Owen', 'Emily', 'Wyatt', 'Ella', 'Jayden', 'Avery', 'Carter', 'Scarlett', 'Julian',
  'Maya', 'Leo', 'Zoe', 'Mateo', 'Nora', 'Isaac', 'Lily', 'Gabriel', 'Hannah', 'Aaliyah',
] as const;

export const STREETS = ['Maple Ave', 'Oak St', 'Cedar Ln', 'Elm St', 'Park Blvd', 'Lakeview Dr', 'Hillcrest Rd', 'Willow Way', 'Sycamore Ct', 'Meadow Ln', 'Church St', 'Highland Ave', 'Ridge Rd', 'Birch Dr', 'Sunset Blvd'] as const;

export const CITIES: readonly { city: string; zip: string; area: string }[] = [
  { city: 'Westerville', zip: '43081', area: '614' },
  { city: 'Worthington', zip: '43085', area: '614' },
  { city: 'Dublin', zip: '43017', area: '614' },
  { city: 'Hilliard', zip: '43026', area: '614' },
  { city: 'Delaware', zip: '43015', area: '740' },
  { city: 'Gahanna', zip: '43230', area: '614' },
];

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** The district's schools, their grades and music teachers; each is also a tax-exempt school account. */
export interface DemoSchool {
  name: string;
  grades: [number, number];
  teachers: string[];
  certificate: string;
}

export const SCHOOLS: readonly DemoSchool[] = [
  { name: 'Jefferson Elementary School', grades: [4, 5], teachers: ['Mrs. Alvarez', 'Mr. Dunn'], certificate: 'OH-STEC-B-104221' },
  { name: 'Lincoln Middle School', grades: [6, 8], teachers: ['Mr. Okonkwo', 'Ms. Brandt', 'Mrs. Feldman'], certificate: 'OH-STEC-B-104387' },
  { name: 'Blendon Middle School', grades: [6, 8], teachers: ['Ms. Yoshida', 'Mr. Hale'], certificate: 'OH-STEC-B-104402' },
  { name: 'Westerville Central High School', grades: [9, 12], teachers: ['Dr. Kaminski', 'Ms. Reyes'], certificate: 'OH-STEC-B-104519' },
  { name: 'Hilliard Darby High School', grades: [9, 12], teachers: ['Mr. Castellano', 'Mrs. Osei'], certificate: 'OH-STEC-B-104633' },
];

export const BUSINESSES = [
  'Grace Lutheran Church',
  'Riverside Community Theatre',
  'Sunrise Music Academy',
  'Blue Note Lounge',
  'Columbus Youth Wind Ensemble',
  'St. Brendan Parish',
] as const;
