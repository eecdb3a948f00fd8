"""The fictional programme's stories, as data for the demo log.

Days count from the load day (-14: two weeks ago, 30: in a month); every change is dated in the
past. A story's plan, actions, activities, indicators and risks are written in that order, each
keyed by its title (a risk by its description), with the values the models store. Who acts: "mentor"
or "mentee" (the coordinator), "mentor participant", "mentee participant" or "officer" (of the
mentee's association). `steps`: {day: status} by the mentee unless `by` says who; for a plan (day,
status, who). An activity's `entry`: (day, type, status, format, hours), `people`: (from the mentor
city, the mentee city, the associations, others), `cancelled`: (day logged, day cancelled),
`feedback`: (who, usefulness, comment, day). An action's `schedule`: (start day, due day, budget in
euro, funding source); an indicator's `scale`: (type, unit, baseline, target); a risk's `levels`:
(likelihood, impact).
"""

CALL, MORNING, DAY = ((10, 0), (11, 0)), ((10, 0), (11, 30)), ((9, 30), (17, 0))

# Confirmed 20 days ago: kick-off two weeks ago, a visit next month, nothing overdue.
GREEN_JOB_LAB = dict(
    plan=dict(
        steps=[(-10, "draft", "mentee")],
        vision="Newcomers in Saint-Jean-de-la-Ruelle find work through employers who have met "
        "them, as in Fuenlabrada's MILMA challenge labs.",
        target_groups="Newcomers from outside the EU looking for work; local employers",
        local_practice_name="Labo emploi",
        monitoring_method="The employment service counts registrations and placements every "
        "month; a short survey after each lab.",
    ),
    actions={
        "Translate the lab guide into French": dict(
            schedule=(-13, 10, "800", "Municipal budget (Fuenlabrada)"),
            steps={-12: "planned", -9: "in_progress", -4: "done"},
            by="mentor",
            responsible="Fuenlabrada employment department",
            practice="MILMA: Migrant Labour Integration Model",
        ),
        "Map the local employers open to a challenge lab": dict(
            schedule=(-12, 25, "1500", "Municipal budget"),
            steps={-10: "planned", -6: "in_progress"},
            responsible="Saint-Jean-de-la-Ruelle employment service",
            partners="Local business club",
            practice="MILMA: Migrant Labour Integration Model",
        ),
        "Train two staff members in the MILMA method": dict(
            schedule=(30, 60, "3500", "AMIF"),
            steps={-10: "planned"},
            responsible="Saint-Jean-de-la-Ruelle employment service",
            partners="Fuenlabrada employment department",
            practice="MILMA: Migrant Labour Integration Model",
        ),
        "Run the first challenge lab with five employers": dict(
            schedule=(60, 150, "6000", "AMIF and municipal budget"),
            steps={-10: "planned"},
            responsible="Saint-Jean-de-la-Ruelle employment service",
        ),
    },
    activities={
        "Kick-off: getting to know the job lab": dict(
            entry=(-14, "kick_off", "held", "online", MORNING),
            people=(3, 4, 2, 0),
            objectives="- Meet both teams and the associations' officers\n"
            "- Agree how we work together and when the first phases take place",
            outcomes="- A monthly call between the two coordinators\n"
            "- Saint-Jean-de-la-Ruelle maps its employers before the benchmarking session",
            follow_up="- Translate the lab guide into French (Fuenlabrada)\n"
            "- List the employers to invite (Saint-Jean-de-la-Ruelle)",
            feedback=(
                ("mentee", 5, "Clear, and the MILMA examples made it concrete.", -13),
                ("mentor participant", 4, "Good start; more time for questions next time.", -12),
                ("officer", 4, "Well prepared, with a realistic calendar.", -12),
            ),
        ),
        "Monthly call": dict(
            entry=(7, "online_meeting", "planned", "online", CALL),
            objectives="- Check the map of employers\n- Prepare the benchmarking session",
            actions=("Map the local employers open to a challenge lab",),
        ),
        "Benchmarking session in Fuenlabrada: the challenge labs": dict(
            entry=(30, "benchmarking", "planned", "in_person", DAY),
            days=2,
            host="mentor",
            venue="Town hall, Fuenlabrada",
            objectives="- See a business challenge lab at work\n"
            "- Compare the two cities' employment services\n"
            "- Choose what Saint-Jean-de-la-Ruelle adapts first",
            agenda="- Day 1: a challenge lab with partner companies\n"
            "- Day 2: workshop on the action plan",
            actions=("Train two staff members in the MILMA method",),
        ),
    },
    indicators={
        "Employers ready to host a challenge lab": dict(
            scale=("output", "employers", 0, 15), measurements={-12: 0, -6: 3, -2: 5}
        ),
        "Newcomers registered for the job lab": dict(
            scale=("output", "people", 0, 40), measurements={-12: 0, -3: 8}
        ),
    },
    risks={
        "Employers see the lab as charity and offer no real vacancies.": dict(
            levels=("medium", "high"),
            mitigation="Invite employers from Fuenlabrada's labs to speak at the launch.",
            owner="Saint-Jean-de-la-Ruelle employment service",
            steps={-10: "open"},
        ),
        "Newcomers' French is not yet good enough for job interviews.": dict(
            levels=("medium", "medium"),
            mitigation="Combine the lab with the French classes of the local associations.",
            owner="Coordinator, Saint-Jean-de-la-Ruelle",
            steps={-10: "open"},
        ),
    },
)

# Confirmed 60 days ago: kick-off 55 days ago, then a cancelled session; one action overdue.
AMBER_WOMEN = dict(
    plan=dict(
        steps=[(-40, "draft", "mentee"), (-12, "consolidated", "mentee")],
        vision="Migrant women in Capaci know where to turn for help and meet other women in "
        "the town, through orientation sessions run by women.",
        target_groups="Migrant women, especially those who came through family reunification",
        local_practice_name="Donne in cammino",
        monitoring_method="The social services count participants at each session; the needs "
        "survey is repeated after a year.",
    ),
    actions={
        "Survey migrant women on their first needs": dict(
            schedule=(-45, -10, "1500", "Municipal budget"),
            steps={-40: "planned", -30: "in_progress"},
            responsible="Capaci social services",
            partners="Local women's association",
        ),
        "Set up orientation sessions run by women": dict(
            schedule=(20, 120, "4000", "AMIF"),
            steps={-40: "planned"},
            responsible="Capaci social services",
            practice="BAPA BXL reception office for newcomers",
        ),
        "Recruit two female cultural mediators": dict(
            schedule=(10, 90, "12000", "AMIF"),
            steps={-40: "planned"},
            responsible="Capaci human resources",
        ),
        "Translate BAPA BXL's orientation material into Italian": dict(
            schedule=(-40, -20, "900", "Municipal budget (City of Brussels)"),
            steps={-38: "planned", -33: "in_progress", -22: "done"},
            by="mentor",
            responsible="City of Brussels, BAPA BXL",
            practice="BAPA BXL reception office for newcomers",
        ),
        "Provide childcare during the sessions": dict(
            schedule=(20, 120, "2500", "Municipal budget"),
            steps={-40: "planned", -12: "dropped"},
            responsible="Capaci social services",
            description="Dropped: the sessions take place during school hours instead.",
        ),
    },
    activities={
        "Kick-off": dict(
            entry=(-55, "kick_off", "held", "online", ((10, 0), (12, 0))),
            people=(3, 3, 2, 0),
            objectives="- Present the City of Brussels' gender-sensitive reception\n"
            "- Agree on the first steps",
            outcomes="- Capaci surveys migrant women on their needs\n"
            "- A benchmarking session within a month",
            feedback=(
                ("mentee", 4, "A clear picture of how BAPA BXL works with women.", -54),
                ("mentor participant", 4, "The interpreters helped a lot.", -54),
                ("officer", 3, "Useful, but the next date was not fixed.", -53),
            ),
        ),
        "Benchmarking session": dict(
            entry=(-25, "benchmarking", "cancelled", "online", MORNING),
            cancelled=(-40, -27),
            objectives="- Compare the orientation sessions for women in both cities\n\n"
            "Cancelled: two of the three members of the Capaci team were on leave. The topics "
            "move to the mentoring training.",
        ),
        "Mentoring training: sessions run by women": dict(
            entry=(12, "mentoring_training", "planned", "online", ((10, 0), (12, 30))),
            objectives="- How BAPA BXL prepares and runs a session\n- Roles of the mediators",
            actions=("Recruit two female cultural mediators",),
        ),
        "Study visit 1 in Brussels": dict(
            entry=(40, "study_visit", "planned", "in_person", DAY),
            study_visit_round=1,
            days=2,
            host="mentor",
            venue="BAPA BXL, Brussels",
            objectives="- Take part in two orientation sessions\n- Work on the action plan",
            actions=("Set up orientation sessions run by women",),
        ),
    },
    indicators={
        "Migrant women who answered the needs survey": dict(
            scale=("output", "people", 0, 80), measurements={-30: 12, -18: 27, -5: 34}
        ),
        "Women who say they know where to turn for help": dict(
            scale=("outcome", "%", 20, 70), measurements={-40: 20, -5: 24}
        ),
    },
    risks={
        "Few women come to mixed sessions.": dict(
            levels=("high", "high"),
            mitigation="Sessions for women only, run by female mediators during school hours.",
            owner="Capaci social services",
            steps={-40: "open", -12: "mitigated"},
        ),
        "Capaci has too few staff to carry out the plan.": dict(
            levels=("medium", "high"),
            mitigation="AICCRE looks for a trainee; the City of Brussels shares its session "
            "material.",
            owner="Mayor's office, Capaci",
            steps={-30: "open"},
        ),
    },
)

# Confirmed 120 days ago: nothing held for 100 days (the project lead left), three overdue.
RED_CONSULTATIVE_BODY = dict(
    plan=dict(
        steps=[
            (-105, "draft", "mentee"),
            (-80, "consolidated", "mentee"),
            (-50, "reviewed", "mentor"),
        ],
        vision="Residents with a migrant background have a say in Partinico's decisions, "
        "through a consultative body the council listens to.",
        target_groups="Residents with a migrant background and their associations; the council",
        local_practice_name="Consulta per l'integrazione",
        monitoring_method="The secretariat counts meetings and pieces of advice; members are "
        "surveyed once a year.",
    ),
    actions={
        "Appoint a project lead for the consultative body": dict(
            schedule=(-60, -40, None, "Municipal budget"),
            steps={-100: "planned", -60: "in_progress"},
            responsible="Mayor's office, Partinico",
        ),
        "Map the associations of residents with a migrant background": dict(
            schedule=(-95, -30, "1200", "Municipal budget"),
            steps={-100: "planned", -90: "in_progress"},
            responsible="Partinico social services",
            practice="Table for Coexistence",
        ),
        "Draft the statute of the consultative body": dict(
            schedule=(-60, -10, "2500", "AMIF"),
            steps={-100: "planned"},
            responsible="Partinico legal department",
            partners="Mechelen diversity team",
            practice="Table for Coexistence",
        ),
        "Hold a first information evening for residents": dict(
            schedule=(20, 60, "1500", "Municipal budget"),
            steps={-100: "planned"},
            responsible="Partinico social services",
        ),
        "Share Mechelen's material on working with volunteers": dict(
            schedule=(-110, -90, None, None),
            steps={-108: "planned", -104: "done"},
            by="mentor",
            responsible="Mechelen integration service",
            practice="Samen Inburgeren: buddies with refugees",
        ),
    },
    activities={
        "Kick-off": dict(
            entry=(-115, "kick_off", "held", "online", MORNING),
            people=(3, 4, 1, 0),
            objectives="- Hear how Capaci built its buddy scheme with Mechelen\n"
            "- Agree on the goal: a consultative body of residents",
            outcomes="- A working group in Partinico\n- A needs assessment in two weeks",
            feedback=(
                ("mentee", 4, "Inspiring to hear what Capaci achieved.", -114),
                ("mentor participant", 5, "A motivated team in Partinico.", -114),
                ("officer", 4, "A good start.", -113),
            ),
        ),
        "Needs assessment": dict(
            entry=(-100, "needs_assessment", "held", "online", ((10, 0), (12, 0))),
            people=(2, 3, 0, 0),
            objectives="- Which residents are not heard today\n- Which associations exist",
            outcomes="- Partinico maps the associations of residents with a migrant background\n"
            "- The statute of the consultative body is drafted with legal advice",
            feedback=(
                ("mentee participant", 3, "Useful, but too short for so many questions.", -99),
                ("mentor", 4, "Good questions from Partinico.", -99),
            ),
        ),
        "Benchmarking visit to Mechelen's advisory councils": dict(
            entry=(-65, "benchmarking", "cancelled", "in_person", DAY),
            days=2,
            host="mentor",
            venue="City hall, Mechelen",
            cancelled=(-90, -68),
            objectives="- Attend a meeting of an advisory council\n\nCancelled: Partinico's "
            "project lead left the municipality; the visit waits for a new lead.",
        ),
        "Study visit 1 in Mechelen": dict(
            entry=(21, "study_visit", "planned", "in_person", DAY),
            study_visit_round=1,
            days=2,
            host="mentor",
            venue="City hall, Mechelen",
            objectives="- Meet members of Mechelen's advisory councils\n- Work on the action plan",
            actions=(
                "Draft the statute of the consultative body",
                "Hold a first information evening for residents",
            ),
        ),
    },
    indicators={
        "Associations of residents on the map": dict(
            scale=("output", "organisations", 0, 25), measurements={-95: 0, -70: 6, -45: 9}
        ),
        "Residents with a migrant background on the consultative body": dict(
            scale=("output", "people", 0, 15), measurements={-95: 0, -45: 0}
        ),
    },
    risks={
        "The project lead left and has not been replaced.": dict(
            levels=("high", "high"),
            mitigation="The mayor's office names an interim lead; AICCRE looks for a trainee.",
            owner="Mayor's office, Partinico",
            steps={-65: "open"},
        ),
        "Residents distrust a body set up by the municipality.": dict(
            levels=("medium", "high"),
            mitigation="The associations nominate the members; members of Mechelen's councils "
            "come to the first evening.",
            owner="Partinico social services",
            steps={-100: "open"},
        ),
        "Legal advice costs more than planned.": dict(
            levels=("low", "medium"),
            mitigation="Use the model statute of the regional association.",
            owner="Partinico legal department",
            steps={-100: "open", -55: "closed"},
        ),
    },
)

# On hold for the elections: activities up to study visit 1, the next one cancelled.
ON_HOLD_HOUSING = dict(
    activities={
        "Kick-off": dict(
            entry=(-145, "kick_off", "held", "online", MORNING),
            people=(2, 3, 2, 0),
            objectives="- Meet both teams\n- Agree on the calendar",
            outcomes="- Saint-Jean-de-la-Ruelle lists the refugees leaving reception",
        ),
        "Mentoring training": dict(
            entry=(-72, "mentoring_training", "held", "online", ((9, 30), (12, 30))),
            people=(2, 3, 1, 0),
            objectives="- How Schaerbeek finds landlords for refugees",
        ),
        "Study visit 1 in Schaerbeek": dict(
            entry=(-47, "study_visit", "held", "in_person", DAY),
            study_visit_round=1,
            days=2,
            host="mentor",
            venue="Town hall, Schaerbeek",
            people=(4, 3, 2, 1),
            objectives="- See housing projects for refugees leaving reception centres\n"
            "- Draft the action plan",
            outcomes="- Visits of two housing projects\n- A first draft of the action plan",
            feedback=(
                ("mentee participant", 5, "Seeing the projects convinced our team.", -45),
                ("mentor", 4, "Good questions; the plan is off to a good start.", -45),
            ),
        ),
        "Study visit 2 in Saint-Jean-de-la-Ruelle": dict(
            entry=(14, "study_visit", "cancelled", "in_person", DAY),
            study_visit_round=2,
            days=2,
            host="mentee",
            cancelled=(-40, -30),
            objectives="- Review the action plan\n\n"
            "Cancelled when the pairing was put on hold for the municipal elections.",
        ),
    },
)

# Accepted three days ago: the kick-off is planned.
ACCEPTED_LANGUAGE = dict(
    activities={
        "Kick-off": dict(
            entry=(18, "kick_off", "planned", "online", MORNING),
            objectives="- Meet both teams\n- Hear how Schaerbeek's language tables work\n"
            "- Agree on the dates of the first phases",
        ),
    },
)

STORIES = {
    ("Fuenlabrada", "Saint-Jean-de-la-Ruelle"): GREEN_JOB_LAB,
    ("City of Brussels", "Capaci"): AMBER_WOMEN,
    ("Mechelen", "Partinico"): RED_CONSULTATIVE_BODY,
    ("Schaerbeek", "Saint-Jean-de-la-Ruelle"): ON_HOLD_HOUSING,
    ("Schaerbeek", "Livadia"): ACCEPTED_LANGUAGE,
}
