//! Writes a synthetic corpus of scraped news pages, for load tests and for
//! giving the related-stories engine real work.
//!
//!     cargo run --release --example gen_corpus -- --count N --out DIR [--seed S]
//!
//! Each page holds one main story and a "Related Articles" block of 2 to 5
//! other stories, mostly of the same topic. Stories repeat across pages as
//! real scrapes do; N is the number of distinct headlines in all. Pages go to
//! DIR/0000/000000.txt, DIR/0001/001000.txt, ... and the same N and seed
//! always give byte-identical output.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

/// Command-line arguments.
#[derive(Parser)]
struct Args {
    /// Number of distinct stories (headlines) to write.
    #[arg(long)]
    count: usize,
    /// Output folder: created if missing, refused if not empty.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Pages per story: the rest of the stories are only ever listed.
const PAGE_SHARE: f64 = 0.36;
/// Chance that a free related slot goes to a main story of the same topic.
const MAIN_SHARE: f64 = 0.35;

/// One topic a line, `name: words`; `_` joins the words of a phrase.
const TOPICS: &str = "\
flood defences: sea_wall levee floodgate king_tide storm_surge drainage pump_station embankment flood_barrier rainfall downpour deluge canal reservoir sandbags evacuation riverbank flash_floods dyke polder estuary seawater runoff culvert catchment inundation high_water breach shoreline coastal_erosion mangroves dredging spillway stormwater lowlands flood_plain tidal_gates retaining_wall flood_maps
monsoon weather: monsoon typhoon cyclone forecast meteorologists humidity heatwave thunderstorms lightning wind_speeds rainband haze drought temperatures sea_temperatures El_Nino La_Nina squalls gusts landslides heat_index weather_bureau storm_track hail cloudburst warning_level advisory dry_spell showers climate_outlook visibility forecasters cold_front heat_stroke tropical_depression rain_gauge wet_season humid_nights weather_models
climate policy: emissions carbon_tax net_zero climate_pledge COP delegates carbon_credits decarbonisation climate_finance adaptation mitigation greenhouse_gases methane coal_phase-out renewables climate_targets climate_law offsets carbon_market climate_fund loss_and_damage Paris_agreement climate_envoy emissions_cap green_bonds sustainability climate_activists climate_summit warming carbon_capture deforestation reforestation green_transition climate_talks carbon_border_levy climate_report heat_records fossil_subsidies
energy prices: electricity_tariffs power_bills gas_prices utilities power_grid blackouts power_plants energy_subsidies household_bills energy_regulator price_cap wholesale_power LNG_imports energy_security generators solar_farms wind_farms nuclear_plant reactor coal_plants transmission_lines power_outages peak_demand energy_efficiency smart_meters rationing load_shedding utility_shares energy_crunch fuel_costs grid_capacity interconnector grid_batteries hydropower turbines baseload energy_mix
oil and gas: crude Brent OPEC oil_output barrels refinery pipeline drilling offshore_rigs oilfields shale petrol diesel fuel_pumps oil_majors exploration gas_field condensate tankers oil_spill output_cuts oil_prices upstream downstream refining_margins jet_fuel petrochemicals oil_exports price_cap oil_reserves production_quota gas_exports oil_demand drilling_permits rig_count oil_traders fuel_subsidy gasoline oil_embargo
electric vehicles: electric_vehicles EV_makers battery_packs charging_stations lithium cathodes gigafactory EV_sales range_anxiety fast_chargers hybrids carmakers e-scooters battery_recycling solid-state_batteries nickel cobalt EV_subsidies car_registrations dealerships autonomous_driving robotaxis Tesla BYD price_war battery_cells EV_exports charging_network plug-in_hybrids motor_show car_sales electric_buses drivetrains self-driving_cars car_tax emissions_rules sedans crossovers battery_supply
chip industry: semiconductors chipmakers foundry wafers chip_plant fabs lithography two-nanometre_chips memory_chips DRAM chip_exports export_controls TSMC chip_design advanced_packaging chip_shortage silicon yields chip_subsidies clean_rooms EUV_machines processors microchips chip_demand chip_equipment Nvidia Samsung chip_supply_chain chip_stocks process_nodes chip_tariffs graphics_chips server_chips chiplets test_lines wafer_starts fab_workers chip_alliance capacity_expansion
consumer tech: smartphones handsets app_stores foldables tablets wearables smartwatches earbuds laptops product_launch gadgets consumer_electronics camera_modules screen_sizes operating_system software_update app_developers phone_shipments Apple Xiaomi Huawei phone_makers flagship_model price_tag pre-orders retail_stores repair_rules battery_life charging_ports headsets VR_headsets streaming_devices smart_homes voice_assistants tech_giants upgrade_cycle trade-ins refurbished_phones accessories mobile_games
artificial intelligence: artificial_intelligence chatbots AI_models language_models generative_AI data_centres GPUs AI_start-ups machine_learning algorithms AI_safety AI_regulation deepfakes training_data copyright_claims AI_chips computing_power OpenAI AI_agents automation AI_tools model_release benchmarks AI_investment AI_labs neural_networks AI_ethics AI_assistants inference AI_talent AI_search hallucinations open-source_models AI_adoption AI_rules robotics AI_copilots AI_boom AI_spending
cybersecurity: hackers cyberattack ransomware data_breach phishing malware cybersecurity_agency passwords encryption zero-day_flaws vulnerabilities security_patches botnets DDoS_attacks spyware leaked_records cyber_defence threat_actors state_hackers breach_notices firewalls incident_response cybercrime online_scams scam_calls identity_theft two-factor_login cyber_insurance security_flaw hacking_group stolen_data dark_web cyber-espionage critical_infrastructure bug_bounty security_researchers account_takeovers extortion crypto_wallets
social media: social_media platforms TikTok Meta content_moderation misinformation online_harms age_verification influencers news_feeds screen_time teen_users online_safety_law fake_news takedown_orders user_data privacy_rules data_protection regulators ad_revenue creators livestreams hate_speech platform_bans digital_services_act online_fraud child_safety encryption_debate messaging_apps Telegram WhatsApp community_notes viral_posts account_bans trust_and_safety parental_controls short_videos
telecoms: 5G_networks telcos spectrum_auction mobile_operators broadband fibre_roll-out base_stations roaming_charges subscribers data_plans network_outage satellite_internet undersea_cables telco_merger prepaid_cards 6G_research mobile_towers coverage internet_speeds telecom_regulator SIM_cards eSIM network_upgrade fixed_lines tower_sales Starlink telecom_tariffs connectivity signal_blackspots fibre_network wireless_spectrum telco_shares network_sharing bandwidth mobile_payments dropped_calls 5G_handsets
space launches: rockets launch_pad satellites orbit lunar_lander space_agency booster astronauts space_station launch_window payload spaceport reusable_rockets Mars_mission moon_landing crew_capsule SpaceX space_debris re-entry countdown launch_vehicle mission_control space_telescope orbiters space_race rocket_engines static_fire first_stage space_tourism satellite_constellation launch_delay lift-off splashdown asteroids space_probe low_Earth_orbit space_start-ups cargo_mission spacewalk
aviation: airlines flights airport runway passengers aircraft Boeing Airbus jetliners air_traffic fleet cabin_crew pilots long-haul_routes budget_carriers air_fares check-in terminal layovers flight_delays cancellations aviation_safety air_routes airport_expansion jet_engines seat_capacity loyalty_programme baggage air_travel_demand hub_airport airspace turbulence landing_slots cargo_flights aviation_regulator plane_orders flight_attendants airline_profits aircraft_leasing
rail strikes: rail_strike train_drivers unions walkout picket_lines rail_operators commuters train_services signal_workers wage_offer pay_dispute industrial_action strike_ballot rail_network cancelled_trains timetables rail_unions strike_days conductors rail_franchise station_staff replacement_buses mediation overtime_ban rail_minister rail_fares track_workers union_leaders wage_talks work-to-rule labour_court strike_notice freight_trains rail_workers pension_dispute commuter_chaos rail_bosses
urban transport: buses metro MRT subway bus_routes cycle_lanes ride-hailing taxis congestion traffic_jams road_pricing fare_increase transit_authority trams light_rail bus_interchange commute pedestrian_crossings parking_fees car-free_zones e-bikes bike_sharing toll_roads expressway train_line new_stations rail_extension bus_drivers transit_cards park-and-ride traffic_lights roadworks flyover transport_ministry commuter_rail peak_hour signalling_fault train_breakdowns
housing market: home_prices mortgages rents landlords tenants first-time_buyers cooling_measures stamp_duty resale_flats public_housing housing_supply affordability new_launches home_loans property_tax condominiums rental_market housing_grants evictions vacancy_rate housing_shortage price_index ballot_exercise HDB_flats loan_limits homeowners rental_yields property_agents home_sales housing_bubble down_payment home_equity valuations mortgage_rates housing_starts renters en-bloc_sale affordable_homes
property developers: developers construction_firms builders land_sales tender skyscrapers mixed-use_project office_towers construction_costs cranes building_materials cement steel_prices project_delays contractors debt_restructuring Evergrande bondholders liquidity_crunch unfinished_homes land_banks commercial_property office_vacancies REITs redevelopment groundbreaking building_permits site_safety foreign_workers property_stocks default_risk creditor_talks project_pipeline urban_renewal township construction_demand sales_slump presales
central banks: interest_rates central_bank rate_cut rate_hike inflation policy_meeting monetary_policy Fed ECB bond_yields yield_curve currency basis_points core_inflation quantitative_easing balance_sheet rate-setters forward_guidance price_stability exchange_rate rate_decision policy_rate meeting_minutes inflation_target deposit_rate dovish_signals hawkish_signals money_supply central_bankers rate_path tightening easing_cycle foreign_reserves rate_outlook jobs_data wage_growth disinflation policy_statement
stock markets: stocks shares equities benchmark_index blue_chips Nasdaq Nikkei Hang_Seng sell-off rally traders fund_flows market_capitalisation IPO listings earnings profit_warning dividends buybacks market_volatility bear_market bull_market futures hedge_funds fund_managers trading_volumes valuations share_price stock_exchange retail_investors market_rout short-sellers record_high gains losses brokers portfolios market_sentiment earnings_season
banking and fintech: banks lenders deposits loans bad_loans capital_ratios digital_banks fintech payments e-wallets QR_payments crypto stablecoins bitcoin crypto_exchange bank_profits interest_margins wealth_management private_banking bank_mergers bank_runs stress_tests money_laundering bank_regulator bank_fees credit_cards buy-now-pay-later neobanks account_holders remittances payment_apps card_fraud bank_branches banking_licence digital_currency tokenisation bank_shares loan_growth credit_risk
trade and tariffs: tariffs trade_war exports imports trade_deal free_trade_agreement customs duties trade_deficit trade_surplus export_curbs anti-dumping_duties WTO trade_talks supply_chains trade_envoy quotas import_ban retaliation trade_ministers trade_barriers market_access rules_of_origin trade_pact exporters importers trade_figures trade_dispute tariff_exemptions trading_partners trade_truce manufacturing_orders factory_output reshoring friend-shoring trade_routes export_growth tariff_rates trade_flows
shipping and ports: ports container_ships freight_rates shipping_lines cargo vessels dock_workers port_congestion container_terminal transshipment bulk_carriers shipping_routes Suez_Canal Red_Sea Panama_Canal shipyards maritime_trade tugboats harbour berths crane_operators port_expansion supply_delays shipping_costs insurance_premiums tanker_fleet container_volumes TEUs bunker_fuel maritime_authority naval_escorts port_strike logistics warehouses freight_forwarders box_rates sea_lanes ship_orders green_shipping
farming and food: farmers crops harvest rice wheat soybeans fertiliser food_prices grain_exports food_security palm_oil livestock poultry bird_flu pig_farms dairy sugar cocoa coffee_prices fruit vegetables irrigation crop_yields agritech vertical_farms food_imports supermarkets grocery_bills hawker_prices food_inflation rice_prices seed_varieties pesticides farmland drought_relief food_stockpiles cooking_oil egg_prices farm_subsidies
oceans and fisheries: fishermen fish_stocks overfishing trawlers fishing_quotas coral_reefs marine_park aquaculture fish_farms seafood tuna squid plankton ocean_warming marine_heatwave coral_bleaching mangrove_restoration seagrass marine_biologists sea_turtles sharks plastic_waste microplastics ocean_treaty high_seas fishing_fleets illegal_fishing coastguard dolphins whales marine_reserve ocean_acidification kelp reef_survey deep-sea_mining shellfish fishing_villages catch_limits
wildlife: wildlife conservation endangered_species poaching rangers national_park elephants tigers orangutans rhinos pangolins wildlife_trade habitat_loss rewilding biodiversity zoo sanctuary breeding_programme birdwatchers migratory_birds nature_reserve wildlife_corridor ivory camera_traps species_survey extinction rainforest wetlands conservationists animal_welfare otters macaques wild_boars invasive_species pollinators bees nature_trails tree_planting forest_fires
public health: vaccines vaccination outbreak virus infections health_ministry WHO dengue measles COVID-19 booster_shots public_health pandemic_plan contact_tracing quarantine clinical_trials drug_approval epidemiologists case_numbers mosquitoes disease_surveillance antibiotics antimicrobial_resistance mpox flu_season screening obesity smoking vaping health_screening mental_health life_expectancy sugar_tax health_advisory disease_control health_data ageing_population chronic_disease
hospitals: hospitals nurses doctors emergency_department waiting_times hospital_beds healthcare_workers medical_staff surgery patients clinics polyclinics health_insurance medical_bills healthcare_costs specialists caregivers nursing_homes elderly_care ambulances manpower_crunch medical_school hospital_expansion telemedicine health_records medication drug_prices pharmacies GP_clinics patient_safety bed_crunch hospital_wards medical_errors home_care outpatient_clinics intensive_care health_budget day_surgery
education: students schools universities teachers exams curriculum tuition_fees scholarships graduates admissions campus lecturers classrooms school_fees preschools exam_results PSLE student_loans international_students research_funding university_rankings enrolment degree_programmes online_learning school_holidays homework tutors tuition_centres education_ministry school_year principals vocational_training polytechnics skills_courses lifelong_learning student_visas class_sizes dropouts
elections: elections voters ballots polling_day opinion_polls candidates campaign rallies turnout constituency swing_voters incumbent opposition_party manifesto campaign_trail electoral_commission vote_count early_voting postal_votes televised_debate exit_polls landslide run-off coalition primaries seats majority recount election_results election_date nomination_day electoral_boundaries voter_registration campaign_finance polling_stations by-election snap_election pollsters
parliament: parliament lawmakers MPs bill legislation amendment motion senate ministers cabinet budget_debate question_time speaker opposition_leader committee parliamentary_vote party_whips parliamentary_sitting second_reading constitutional_change policy_reforms white_paper backbenchers no-confidence_vote filibuster prime_minister cabinet_reshuffle select_committee legislative_agenda public_consultation statute house_vote law_change budget_statement government_bill parliamentary_questions caucus
courts: court judge trial verdict appeal jury lawsuit prosecutors defence_lawyers sentencing charges acquittal Supreme_Court High_Court ruling injunction class_action settlement testimony witnesses bail indictment legal_battle plea_deal convictions damages judicial_review court_hearing Attorney-General legal_challenge precedent court_filing defamation_suit arbitration contempt fines magistrate court_documents cross-examination
policing and crime: police arrests suspects investigation crime_rate burglaries scam_syndicate drug_trafficking raids detectives CCTV forensics gang_violence robbery police_officers patrols manhunt shoplifting cybercrime_unit money_mules fraud_cases crime_figures police_chief community_policing stolen_goods smuggling customs_seizure arrest_warrant undercover_operation road_accidents traffic_police knife_crime police_reports crime_prevention neighbourhood_watch detention Interpol extradition
diplomacy: summit diplomats foreign_minister bilateral_talks state_visit joint_statement ASEAN G20 UN_General_Assembly ceasefire peace_talks envoys embassy sanctions treaty communique memorandum_of_understanding trade_mission delegation foreign_policy diplomatic_row ambassador consulate mediation_efforts Security_Council resolution multilateralism bilateral_ties strategic_partnership visa_waiver regional_bloc summit_agenda breakthrough humanitarian_aid border_dispute foreign_ministry state_dinner
defence: military defence_budget fighter_jets warships navy army troops drills military_exercises missiles air_defence drones submarines arms_deal defence_minister conscription national_service border_patrols radar frigates military_base defence_industry artillery ammunition military_aid defence_spending aircraft_carrier joint_drills naval_patrols defence_pact military_chief troop_deployment missile_test security_forces cyber_command veterans armoured_vehicles military_parade
football cup: football cup_final semi-final quarter-final striker goalkeeper midfielder defender head_coach penalty_shoot-out extra_time hat-trick red_card VAR stadium fans league_title relegation transfer_window derby kick-off qualifiers group_stage own_goal injury_time captain clean_sheet knockout_round home_crowd cup_run underdogs trophy equaliser header free-kick winger manager away_fans
tennis: tennis Grand_Slam Wimbledon US_Open Australian_Open French_Open top_seed tiebreak serve aces break_points baseline rallies forehand backhand clay_court hard_court grass_court qualifier straight_sets five-setter retirement ATP WTA rankings doubles mixed_doubles umpire line_calls prize_money comeback Davis_Cup match_point semi-finalist racquet wildcard Centre_Court second_serve
olympics and athletics: Olympics athletes sprint marathon world_record gold_medal silver_medal bronze podium relay high_jump pole_vault swimming heats personal_best anti-doping doping_ban athletes'_village torch_relay host_city opening_ceremony qualifying_time national_team track_and_field decathlon hurdles long_jump diving gymnastics medal_tally Paralympics team_selection coaches training_camp Asian_Games SEA_Games world_championships
film and music: film_festival premiere box_office director actors red_carpet streaming_service concert tour tickets album music_festival headliner Grammys Oscars Cannes awards_season soundtrack K-pop fan_queues ticket_resale sold-out_shows arena stage_production musical theatre documentary blockbuster sequel casting screenplay film_studio record_label chart-topper music_video concert_tickets festival_line-up indie_film streaming_deal
tourism: tourists visitor_arrivals hotels hotel_rooms occupancy_rates travel_agents tour_operators cruise_ships resorts casino integrated_resort attractions theme_park heritage_sites backpackers tourism_board visa-free_entry travel_bubble inbound_travel outbound_travel short_stays Airbnb room_rates holiday_bookings travel_fair overtourism tourist_tax hospitality_staff travel_insurance tour_groups shopping_districts staycations boutique_hotels cruise_terminal travel_season tourism_receipts night_markets";

/// Words any story may use.
const GENERAL: &str = "\
officials government ministry agency report survey study plan proposal scheme programme budget funding costs prices growth demand supply jobs workers residents households families consumers businesses companies firms investors analysts economists experts critics regulators authorities council city region province state country neighbours partners allies rivals talks deal agreement review inquiry audit figures data forecast outlook target deadline timeline phase project \
initiative policy rules guidelines standards measures steps changes reforms subsidies grants taxes fees revenue profits spending savings debt deficit economy recovery slowdown recession crisis risks concerns fears pressure tensions disputes protests backlash criticism confidence trust uncertainty momentum progress delays setbacks challenges opportunities benefits impact consequences response strategy approach framework roadmap priorities resources capacity infrastructure \
technology innovation research development investment capital markets sector industry community public society youth seniors women children customers users members staff employees employers leaders executives founders chairman spokesman spokeswoman mayor governor president premier panel board committee taskforce watchdog observers insiders sources documents statement announcement briefing interview speech remarks warning pledge promise commitment decision move bid push effort \
campaign race battle fight shift overhaul shake-up boost cut rise fall drop jump surge slump record peak level rate share stake quarter year month week weekend decade history future season period era moment milestone anniversary neighbourhood district town village suburb waterfront downtown island border coast mainland capital headquarters site facility centre hub zone corridor network system platform service product brand model design quality safety security health \
environment climate energy water land food housing transport education welfare pensions wages salaries bonuses living_costs middle_class small_businesses start-ups multinationals contracts tenders licences permits approvals inspections complaints feedback petition referendum consultation hearing deadline extension compensation refunds penalties incentives rebates vouchers allowances benchmarks rankings index estimates projections scenarios models assumptions lessons trends \
patterns signals indicators gaps shortfalls surpluses backlog queue waiting_list pilot trial rollout launch upgrade expansion merger acquisition partnership alliance joint_venture spin-off listing valuation windfall losses layoffs hiring vacancies training skills productivity output exports imports consumption tourism retail manufacturing services logistics construction property finance banking insurance healthcare schools universities hospitals roads bridges tunnels parks \
libraries";

/// Places, people, credits and the like; `FANCY_PLACES` are non-ASCII.
#[rustfmt::skip]
mod lists {
    pub const PLACES: &[&str] = &[
        "Tamsin Bay", "Singapore", "Jakarta", "Manila", "Penang", "Osaka", "Busan", "Perth",
        "Auckland", "Lagos", "Nairobi", "Lisbon", "Rotterdam", "Hamburg", "Chicago", "Houston",
        "Vancouver", "Mumbai", "Chennai", "Hanoi", "Bangkok", "Kuala Lumpur", "Hong Kong", "Taipei",
    ];
    pub const FANCY_PLACES: &[&str] = &[
        "Zürich", "Montréal", "São Paulo", "Malmö", "Düsseldorf", "Kraków", "Bogotá", "Reykjavík",
        "深圳", "北京", "上海", "广州", "Besançon", "Curaçao", "Île-de-France", "Nürnberg",
    ];
    pub const PEOPLE: &[&str] = &[
        "Mr Tobias Wren", "Ms Harriet Okafor", "Dr Lim Wei Ling", "Mr José Álvarez",
        "Ms Zoë Müller", "Mr Tan Boon Keat", "Ms Priya Nair", "Professor Kenji Sato",
        "Ms Amélie Dubois", "Mr Chen Jianguo", "Ms Siti Rahmah", "Mr David Okonkwo",
        "Dr Rafael Gómez", "Ms Hana Kim",
    ];
    pub const PHOTOGRAPHERS: &[&str] = &["GAVIN FOO", "MARCUS LIM", "LIM YAOHUI", "NG SOR LUAN"];
    pub const SOURCES: &[&str] = &["Straits Times", "Business Times", "CNA", "The New Paper"];
    pub const CREDITS: &[&str] = &["REUTERS", "AFP", "NYTIMES", "BLOOMBERG"];
    pub const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    pub const MONTHS: &[&str] = &["January", "March", "April", "June", "September", "November"];
}
use lists::*;

/// Headline templates; see [`Vocab::fill`] for the `{x}` slots.
const HEADLINES: &[&str] = &[
    "{p} unveils {t} plan as concerns over {t} grow",
    "{p} to spend ${d} billion on {t} and {t}",
    "Why the {t} debate matters for {g} in {p}",
    "{p} backs new rules on {t} amid {t} debate",
    "Talks on {t} and {t} top agenda as {p} leaders meet",
    "{p} warns of {t} risk as pressure on {n} mounts",
    "Second {t} scare in a month tests {p} and its {t}",
    "New rules on {t} to hit {g} in {p} from {m}",
    "{p} spending on {t} hits {d}-year high as {t} costs climb",
    "Inside the {t} race: how {p} is betting on {t}",
    "{p} orders review of {t} after row over {t}",
    "Delays to {t} leave {p} counting the cost of {g}",
    "Experts urge {p} to rethink {t} as {n} costs rise",
];
/// Headline templates with curly quotes or dashes.
const FANCY_HEADLINES: &[&str] = &[
    "{p} approves {t} plan — but doubts over {t} linger",
    "‘We need {t} now’: {p} leaders push for {t}",
    "“Forget {t}, fix {t},” {p} residents tell officials",
    "{p} bets on {t} — and {t} — to revive its {g}",
    "The {t} question: {p} weighs ‘{t}’ against {g}",
    "Slump in {t} deepens in {p} — what it means for {g}",
    "“No quick fix” for {t} in {p}, officials warn",
];
/// Standfirst templates: none ends in a capitalised word, which would read
/// as part of the photo caption that follows.
const STANDFIRSTS: &[&str] = &[
    "The scheme for {t} would be the largest of its kind in {p}, officials said on {w}.",
    "{q} said action on {t} was long overdue.",
    "The decision comes amid growing concern over {t} and {g}.",
    "Pressure over {t} has been building for months, analysts say.",
    "Officials have set aside ${d} million for {t}, a spokesman said.",
];
/// Body sentence templates.
const SENTENCES: &[&str] = &[
    "Officials in {p} said plans for {t} would be reviewed by {m}.",
    "{q} called {t} a pressing issue for {g}.",
    "“We cannot ignore {t} any longer,” said {q}.",
    "Analysts expect {t} to weigh on {g} for {d} months.",
    "{q} said {t} and {n} were closely linked.",
    "The plan covers {t}, {t} and new {g}.",
    "Critics say spending on {t} has done little to ease {g}.",
    "A survey released on {w} found support for {t} up {d} per cent.",
    "The move follows months of debate over {t} and {g}.",
    "{p} has struggled with {t} since {y}.",
    "Some experts doubt that work on {t} will be ready in time.",
    "A second phase of work on {t} is due to start in {m}.",
    "Industry groups want clearer rules on {t} and {n}.",
    "There were {d} complaints about {t} last year, officials said.",
    "Work on {t} will be extended to {d} more sites across {p}.",
    "Plans for {t} were first drawn up in {y} but stalled over {g}.",
    "Observers say {t} could shape {n} across the region.",
    "{q} said officials would keep a close watch on {t} and {g}.",
    "‘It is a question of {t},’ one official said.",
    "Spending on {t} rose to ${d} million in {y}.",
    "{q} said the debate over {t} had shifted since {y}.",
];

/// A small splitmix64 generator: fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) < p * (1u64 << 53) as f64
    }

    /// One item of a non-empty slice.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Shuffles `items` in place (Fisher-Yates).
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// One distinct story; its body is regenerated from `seed` whenever written.
struct Story {
    headline: String,
    topic: usize,
    place: &'static str,
    /// The topic words of the headline, which the body keeps coming back to.
    focus: Vec<&'static str>,
    seed: u64,
    /// Main stories have long bodies; listed-only ones short.
    long: bool,
}

/// A story's text.
struct Body {
    standfirst: String,
    photo: String,
    paragraphs: Vec<String>,
    credit: &'static str,
}

/// The words stories are made of.
struct Vocab {
    topics: Vec<Vec<&'static str>>,
    general: Vec<&'static str>,
}

impl Vocab {
    /// Parses [`TOPICS`] and [`GENERAL`].
    fn new() -> Self {
        let topics = TOPICS
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(_, words)| words.split_whitespace().collect())
            .collect();
        let general = GENERAL.split_whitespace().collect();
        Vocab { topics, general }
    }

    /// A word of a topic next to `topic`.
    fn near(&self, topic: usize, rng: &mut Rng) -> &'static str {
        let n = self.topics.len();
        let step = if rng.chance(0.5) { 1 } else { n - 1 };
        rng.pick(&self.topics[(topic + step) % n])
    }

    /// Fills the `{x}` slots of `template` for `story`: `t` a topic word (in
    /// a headline, the focus words in turn), `n` a neighbouring topic's word,
    /// `g` a general word, `p` the place, `q` a person, `d` a number, `w` a
    /// weekday, `m` a month, `y` a year.
    fn fill(&self, template: &str, story: &Story, headline: bool, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut focus = story.focus.iter().cycle();
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let word: Cow<str> = match rest.as_bytes()[i + 1] {
                b't' if headline => focus.next().copied().unwrap_or_default().into(),
                b't' => match rng.below(10) {
                    0..=2 => rng.pick(&story.focus),
                    3..=8 => rng.pick(&self.topics[story.topic]),
                    _ => self.near(story.topic, rng),
                }
                .into(),
                b'n' => self.near(story.topic, rng).into(),
                b'g' => rng.pick(&self.general).into(),
                b'p' => story.place.into(),
                b'q' => rng.pick(PEOPLE).into(),
                b'w' => rng.pick(WEEKDAYS).into(),
                b'm' => rng.pick(MONTHS).into(),
                b'd' => rng.range(2, 95).to_string().into(),
                b'y' => rng.range(2012, 2025).to_string().into(),
                other => unreachable!("unknown slot {}", other as char),
            };
            out.push_str(&word.replace('_', " "));
            rest = &rest[i + 3..];
        }
        out.push_str(rest);
        out
    }

    /// Makes `count` stories with distinct headlines; the first `mains` are
    /// the main stories of pages.
    fn stories(&self, count: usize, mains: usize, rng: &mut Rng) -> Vec<Story> {
        let mut seen = HashSet::new();
        (0..count)
            .map(|i| {
                let topic = rng.below(self.topics.len());
                loop {
                    let fancy = rng.chance(1.0 / 3.0);
                    let places = if fancy && rng.chance(0.5) {
                        FANCY_PLACES
                    } else {
                        PLACES
                    };
                    let templates = if fancy { FANCY_HEADLINES } else { HEADLINES };
                    let mut focus = Vec::new();
                    while focus.len() < 3 {
                        let word = rng.pick(&self.topics[topic]);
                        if !focus.contains(&word) {
                            focus.push(word);
                        }
                    }
                    let place = rng.pick(places);
                    let (seed, long) = (rng.next(), i < mains);
                    let mut story = Story {
                        headline: String::new(),
                        topic,
                        place,
                        focus,
                        seed,
                        long,
                    };
                    story.headline = self.fill(rng.pick(templates), &story, true, rng);
                    let len = story.headline.chars().count();
                    if (40..=120).contains(&len) && seen.insert(story.headline.clone()) {
                        return story;
                    }
                }
            })
            .collect()
    }

    /// The text of `story`, the same every time.
    fn body(&self, story: &Story) -> Body {
        let rng = &mut Rng(story.seed);
        let paragraphs = if story.long {
            rng.range(6, 14)
        } else {
            rng.range(1, 2)
        };
        let standfirst = self.fill(rng.pick(STANDFIRSTS), story, false, rng);
        let mut paragraphs: Vec<String> = (0..paragraphs)
            .map(|_| {
                let sentences: Vec<String> = (0..rng.range(2, 5).min(rng.range(2, 5)))
                    .map(|_| self.fill(rng.pick(SENTENCES), story, false, rng))
                    .collect();
                sentences.join(" ")
            })
            .collect();
        if story.long {
            paragraphs[0].insert_str(0, &format!("{} - ", story.place.to_uppercase()));
        }
        let photo = match rng.below(4) {
            3 => format!("ST PHOTO: {}", rng.pick(PHOTOGRAPHERS)),
            n => format!("PHOTO: {}", ["REUTERS", "AFP", "BLOOMBERG"][n]),
        };
        let credit = rng.pick(CREDITS);
        Body {
            standfirst,
            photo,
            paragraphs,
            credit,
        }
    }
}

/// Chooses each page's related stories. Every listed-only story goes on a
/// page, of its own topic where there is room; the other slots go mostly to
/// stories of the page's topic, main stories first.
fn assign_related(
    stories: &[Story],
    pages: usize,
    topics: usize,
    rng: &mut Rng,
) -> Vec<Vec<usize>> {
    let n = stories.len();
    let mut pages_of = vec![Vec::new(); topics];
    let mut stories_of = vec![Vec::new(); topics];
    for (i, story) in stories.iter().enumerate() {
        stories_of[story.topic].push(i);
        if i < pages {
            pages_of[story.topic].push(i);
        }
    }
    let want: Vec<usize> = (0..pages).map(|_| rng.range(2, 5).min(n - 1)).collect();
    let mut related = vec![Vec::new(); pages];
    for (s, story) in stories.iter().enumerate().skip(pages) {
        let pool = &pages_of[story.topic];
        let tries = if pool.is_empty() { 0 } else { 8 };
        let page = (0..tries)
            .map(|_| rng.pick(pool))
            .find(|&p| related[p].len() < want[p])
            .or_else(|| (0..pages).find(|&p| related[p].len() < want[p]))
            .or_else(|| (0..pages).find(|&p| related[p].len() < 5))
            .expect("five slots a page hold every listed-only story");
        related[page].push(s);
    }
    for (p, list) in related.iter_mut().enumerate() {
        let topic = stories[p].topic;
        while list.len() < want[p] {
            let fresh = |c: &usize| *c != p && !list.contains(c);
            let choice = (0..20)
                .map(|_| {
                    if rng.chance(MAIN_SHARE) {
                        rng.pick(&pages_of[topic])
                    } else if rng.chance(0.7) {
                        rng.pick(&stories_of[topic])
                    } else {
                        rng.below(n)
                    }
                })
                .find(fresh)
                .or_else(|| (0..n).find(fresh))
                .expect("a page wants fewer related stories than there are others");
            list.push(choice);
        }
        rng.shuffle(list);
    }
    related
}

/// An age as the Related block shows it.
fn age(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("{} minutes ago", rng.range(2, 59)),
        1 => "an hour ago".to_owned(),
        2 => format!("{} hours ago", rng.range(2, 23)),
        3 => "a day ago".to_owned(),
        _ => format!("{} days ago", rng.range(2, 6)),
    }
}

/// The text of page `page`, whose main story is story `page`.
fn render(
    page: usize,
    related: &[usize],
    stories: &[Story],
    vocab: &Vocab,
    rng: &mut Rng,
) -> String {
    let site = if rng.chance(0.8) { "ST" } else { "BT" };
    let join = format!(
        "Join {site}'s Telegram channel and get the latest breaking news delivered to you."
    );
    let main = &stories[page];
    let body = vocab.body(main);
    let mut out = format!("{}\n{} {}\n", main.headline, body.standfirst, body.photo);
    out.push_str(&format!("{} {}\n", body.paragraphs.join("\n"), body.credit));
    out.push_str(&join);
    out.push_str("\n\nTry Our AI Features\nExplore what Daily8 AI can do for you:\n");
    out.push_str("Comments\nNo comments yet...\nRelated Articles\n");
    for &s in related {
        let (story, source) = (&stories[s], rng.pick(SOURCES));
        let body = vocab.body(story);
        let photo = if body.photo.starts_with("PHOTO") {
            format!("FILE {}", body.photo)
        } else {
            body.photo
        };
        out.push_str(&format!(
            "\n{source}\n{}\n- {source}\n{}\n",
            age(rng),
            story.headline
        ));
        out.push_str(&format!("{} {photo} {} ", body.standfirst, story.headline));
        out.push_str(&format!(
            "{} {} {join}\n",
            body.paragraphs.join(" "),
            body.credit
        ));
    }
    out
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.count < 3 {
        eprintln!("gen_corpus: --count must be at least 3");
        std::process::exit(2);
    }
    let out = &args.out;
    let taken = out.exists() && (!out.is_dir() || fs::read_dir(out)?.next().is_some());
    if taken {
        eprintln!(
            "gen_corpus: {} exists and is not an empty folder",
            out.display()
        );
        std::process::exit(2);
    }
    let start = Instant::now();
    let vocab = Vocab::new();
    let mut rng = Rng(args.seed);
    let pages = ((args.count as f64 * PAGE_SHARE).round() as usize).clamp(1, args.count / 2);
    let stories = vocab.stories(args.count, pages, &mut rng);
    let related = assign_related(&stories, pages, vocab.topics.len(), &mut rng);
    let mut bytes = 0;
    for (page, list) in related.iter().enumerate() {
        let dir = out.join(format!("{:04}", page / 1000));
        if page % 1000 == 0 {
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = render(page, list, &stories, &vocab, &mut rng);
        let path = dir.join(format!("{page:06}.txt"));
        fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
        bytes += text.len();
    }
    println!(
        "wrote {pages} files, {} stories, {bytes} bytes in {:.2} s",
        stories.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
