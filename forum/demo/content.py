"""Demonstration content: one facilitated dialogue, written for this project.

All people, organisations and situations below are fictional. Post bodies and summaries are
Markdown; a summary or a conclusion cites a post with the placeholder ``{p:KEY}``, where KEY is
a post key. A post is in the language its author writes in (forum.demo.WRITES_IN) unless it
says otherwise. A topic's "conclusions" map question numbers to a text, or to its versions
(earlier first); "summary_minutes" dates its summary (else after the last post); a post's
"edit" adds words to it that many minutes after the topic opened.
"""

from textwrap import dedent

DIALOGUE = {
    "slug": "men-as-allies",
    "title": "Men as allies in women-led peacebuilding: a facilitated dialogue",
    "description": dedent("""\
    This dialogue brings together women peacemakers, male allies, NGOs and UN agency staff to
    talk honestly about how men can support women-led peacebuilding, and where that support
    goes wrong. It is facilitated by Lucía Pérez (Red de Mujeres Mediadoras) and moderated by
    Grace Mutesi (Women Peacemakers Network).

    The dialogue runs for **three weeks**. Each topic opens with a
    short framing and three prompt questions. You do not need to answer all of them: pick one,
    say which, and give your reply a subject line so that others can follow the thread.

    Write in English, French or Spanish, whichever is easiest for you; other participants often
    help with translation. Please read the [code of conduct](/code-of-conduct) before posting.
    You can also follow the dialogue without an account, through its RSS feed.
    """),
}

TOPICS = [
    {
        "title": "What kind of support do women peacemakers need from men? What do they not need?",
        "author": "facilitator",
        "framing": dedent("""\
        Across our networks, women lead much of the everyday work of peace: they negotiate the
        return of displaced families, calm disputes over land and water, and keep communication
        open when formal talks stall. Many also work alongside men (brothers, husbands,
        colleagues, religious leaders) whose support can open doors, or quietly close them.

        This topic asks a simple question with complicated answers. **What kind of support do
        women peacemakers need from men? What do they not need?** We are interested in concrete
        experience more than principles: a meeting, a journey, a decision where a man's role
        made the difference, for better or worse.

        Male allies are warmly invited to take part, and also to *listen*. Women participants:
        you are not expected to educate anyone, but your experience is the heart of this
        conversation.
        """),
        "questions": [
            "What kind of support do women peacemakers need from men? What do they not need?",
            "Think of a concrete moment in your mediation work when a man's involvement helped, "
            "or got in the way. What made the difference?",
            "How can male allies be held accountable to the women they say they support, "
            "and who should do the holding?",
        ],
        "summary": dedent("""\
        ### What we heard

        Participants agreed that men's support matters most at the **threshold**: introductions
        to chiefs, elders and religious authorities who do not easily receive women. Support
        that becomes permanent, however, turns into substitution. As {p:amina1} described, a
        chief may address every answer to the man who merely accompanied the mediator.

        - **Open the door, then step back.** Agree beforehand who leads, turn questions back to
          her, and plan the next visit without an escort.
        - **Defend the process, not the person.** {p:jean2} showed how protecting a colleague
          can cost her the room; participants proposed agreed signals and a debrief after
          each session.
        - **What is not needed:** protectors, all-male panels, workshops designed without
          women ({p:sofia4}). What is: childcare, challenging harassment among men, and
          passing on contacts, not only seats.

        ### Where views differed

        Participants disagreed on whether men should join mediation teams "in numbers". The
        exchange converged on a shared arrangement: women's organisations set the agenda and
        sign or co-sign agreements; men's networks reach the men others cannot.

        ### Accountability

        Accountability should run towards women's organisations, with a real power to say no
        ({p:moderator2}), and without adding unpaid work for women: budget their time and
        transport.

        Contributions came in English, French and Spanish; several participants translated
        for one another, and we thank them.
        """),
        "conclusions": {
            1: dedent("""\
            Men's support matters most at the threshold, and only for a while: **open the door,
            then step back** ({p:amina1}, {p:babar1}). Not needed: protectors, all-male panels,
            workshops about women designed without them. Needed: childcare, men challenging
            harassment among men, and giving up the seat ({p:sofia4}, {p:babar3}).
            """),
            2: dedent("""\
            What helped was defending *the process*, not the person ({p:jean2}). Mixed teams
            agree on signals before a session and debrief after it ({p:moderator1},
            {p:amina3}).
            """),
            # Earlier versions first: the page shows "edited once" and its history.
            3: [
                dedent("""\
                Men's networks should answer to women's organisations ({p:moderator2}).
                """),
                dedent("""\
                Accountability runs towards women's organisations: they set the agenda and sign
                or co-sign the agreements ({p:sofia3}, {p:david3}), with a written commitment
                and a real power to say no ({p:moderator2}).
                """),
            ],
        },
        # The demo is in three languages; the banner above the topic shows the reason, and
        # the summary comes after the prompt questions, below it.
        "lock_reason": (
            "The dialogue period for this topic has ended; the facilitators' summary is pinned "
            "below the prompt questions, and the conversation continues in the topic on safety. "
            "· La période de dialogue de ce sujet est terminée ; le résumé des animatrices est "
            "épinglé sous les questions, et la conversation continue dans le sujet sur la "
            "sécurité. · El período de diálogo de este tema ha terminado; el resumen de las "
            "facilitadoras está fijado debajo de las preguntas, y la conversación continúa en "
            "el tema sobre la seguridad."
        ),
        "posts": [
            {
                "key": "amina1",
                "author": "amina",
                "subject": "Ouvrir la porte, puis s'effacer",
                "prompt": 1,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Merci, Lucía, pour cette question. Je réponds depuis Mopti, où nous faisons de la
                médiation entre éleveurs et agriculteurs depuis huit ans.

                Ce dont nous avons besoin de la part des hommes, c'est surtout **qu'ils nous
                ouvrent des portes** :
                auprès des chefs de village, des imams, des autorités qui ne reçoivent pas
                facilement une délégation de femmes. Ce dont nous n'avons *pas* besoin, c'est
                qu'ils parlent à notre place une fois la porte ouverte.

                L'année dernière, mon beau-frère m'a accompagnée chez un chef de village.
                Le chef n'a adressé ses réponses qu'à lui.
                C'était pourtant moi qui menais la discussion.

                Je ne reproche rien à mon beau-frère, il a fait ce qu'on lui demandait. Mais la
                question reste : comment un homme peut-il ouvrir la porte sans devenir
                l'interlocuteur ?
                """),
                "minutes": 35,
            },
            {
                "key": "babar1",
                "author": "babar",
                "subject": "The door-opener problem",
                "prompt": 1,
                "parent": "amina1",
                "quote": "amina1",
                "quote_text": "Le chef n'a adressé ses réponses qu'à lui.",
                "body": dedent("""\
                My French is school French, so forgive me if I miss some nuance, Amina. This
                happens to us too. In our district programme, male volunteers often accompany
                women health and peace workers on a first visit to a jirga elder. We learned the
                hard way that the visit can end with the elder treating the man as the real
                counterpart.

                What we now ask our volunteers to do:

                - agree beforehand who leads, and say it out loud at the start of the meeting;
                - when a question is addressed to them, *turn it back* to the woman who leads;
                - leave the room for the substantive part, if the elder accepts it.

                It does not always work. Did your brother-in-law try anything like this?
                """),
                "minutes": 95,
            },
            {
                "key": "david1",
                "author": "david",
                "subject": "Men need to be in the room, in numbers",
                "prompt": 1,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Greetings from Gulu. I want to put a slightly different view on the table.

                In our experience, conflicts between clans here are driven mostly by men: young
                men with grievances, older men who control land. Women mediators tell us that
                those men listen more readily when other men are in the room. So our network
                trains men as **co-mediators**, and we aim for mixed teams with equal numbers of
                women and men.

                I think women peacemakers need men who show up, physically and in numbers, not
                only men who "support from a distance".
                Equal teams show the community that peace is not a women's issue.
                Curious to hear whether others see it the same way.
                """),
                "minutes": 140,
            },
            {
                "key": "amina2",
                "author": "amina",
                "subject": "Ça marche, à moitié",
                "prompt": 1,
                "parent": "babar1",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Oui, Babar, ton français est très bon ! C'est exactement ce que nous avons
                essayé la fois suivante. Nous avons préparé la visite ensemble, et quand le chef
                se tournait vers lui, il répondait simplement : « C'est Madame Diallo qui
                conduit cette médiation. » La troisième fois, le chef m'a parlé directement.

                Donc ça marche, à moitié. Le vrai objectif, c'est que le chef me reçoive sans
                accompagnateur la prochaine fois.
                Le soutien d'un homme devrait être temporaire, pas une condition permanente.
                Sinon, notre légitimité dépendra toujours de lui.
                """),
                "minutes": 210,
            },
            {
                "key": "jean1",
                "language": "en",
                "author": "jean",
                "subject": "Short translation / Traduction courte",
                "prompt": None,
                "parent": "amina2",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                For those who do not read French, a short translation of Amina's point:

                *When the chief turned to my brother-in-law, he answered each time: "Madame
                Diallo leads this mediation." By the third time, the chief spoke to me directly.
                So it half works. The real goal is for the chief to receive me without an escort
                next time. A man's support should be temporary, not a permanent condition;
                otherwise our legitimacy will always depend on him.*

                Amina, j'espère ne pas avoir trahi ta pensée ; corrige-moi si besoin.
                """),
                "minutes": 255,
            },
            {
                "key": "sofia1",
                "author": "sofia",
                "subject": "Acompañar sin sustituir",
                "prompt": 1,
                "parent": "amina2",
                "quote": "amina2",
                "quote_text": (
                    "Le soutien d'un homme devrait être temporaire, pas une condition permanente."
                ),
                "body": dedent("""\
                Amina, esto me toca de cerca. En Guatemala, cuando vamos a comunidades donde las
                autoridades ancestrales son casi todas hombres, a veces pedimos a un compañero
                que nos presente. Nosotras lo llamamos *acompañar sin sustituir*.

                Pero tienes razón: si cada vez necesitamos al compañero, el mensaje para la
                comunidad es que la palabra de una mujer no basta. Por eso ahora le pedimos que
                nos presente **una sola vez**, y que en la segunda visita no venga. Ha costado,
                pero en dos comunidades de Alta Verapaz ya nos reciben a nosotras solas.
                """),
                "minutes": 330,
            },
            {
                "key": "sofia2",
                "author": "sofia",
                "subject": "No se trata de números",
                "prompt": 1,
                "parent": "david1",
                "quote": "david1",
                "quote_text": "Equal teams show the community that peace is not a women's issue.",
                "body": dedent("""\
                David, gracias por decirlo con claridad; te respondo con la misma claridad y
                con respeto.

                Entiendo la lógica, pero mi experiencia es distinta. Cuando trabajamos en
                equipos "paritarios" con organizaciones de hombres, pasaron dos cosas:

                1. en las reuniones, la comunidad se dirigía a los hombres, como contaba Amina;
                2. los fondos y el reconocimiento terminaron en la organización de los hombres,
                   que era la que firmaba el convenio.

                La paz no es un asunto "de mujeres", de acuerdo. Pero el liderazgo de las
                mujeres en la mediación sí hay que protegerlo.
                No se trata de cuántos hombres hay en la sala, sino de quién decide la agenda.
                """),
                "minutes": 400,
            },
            {
                "key": "jean2",
                "author": "jean",
                "subject": "Un exemple de Gitega : intervenir sans « sauver »",
                "prompt": 2,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Je suis médiateur communautaire à Gitega, surtout sur des conflits fonciers
                entre familles.

                L'an dernier, ma collègue, Mme Ndayishimiye, conduisait une médiation. Au
                milieu de la séance, un homme de l'une des familles l'a insultée et a dit qu'il
                ne parlerait pas « à une femme qui n'a pas de terre ». Tout le monde m'a
                regardé. J'ai eu envie de la défendre, de hausser le ton.

                Je ne l'ai pas fait. J'ai rappelé les règles que tous avaient acceptées au
                début, et j'ai demandé s'il voulait une pause. Elle a repris la parole
                elle-même. Après, elle m'a dit :
                « Si tu m'avais défendue, j'aurais perdu la salle. »

                Ce que j'en retiens : le soutien, parfois, c'est de défendre *le processus*,
                pas la personne.
                """),
                "minutes": 470,
            },
            {
                "key": "david2",
                "author": "david",
                "subject": "Re: No se trata de números",
                "prompt": 1,
                "parent": "sofia2",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Sofía, I used a translation tool, so I hope I have understood you well.

                I accept the point about who decides the agenda. But I will be honest:
                sometimes in these conversations it feels as if men can do nothing right. If we
                stay away, we are absent; if we come in numbers, we are taking over. Our network
                has men who have risked a great deal to challenge violence in their own clans.

                On funding, I do not think the answer is for men's groups to step back from
                donors entirely. Many donors will now only fund mixed programmes. Should we
                refuse the money?
                """),
                "minutes": 560,
            },
            {
                "key": "facilitator1",
                "author": "facilitator",
                "subject": "A pause from the facilitation team / Una pausa",
                "prompt": None,
                "parent": "david2",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Thank you both. Let me step in for a moment, as facilitator, because this
                thread matters.

                David and Sofía are each saying something true. David: men's presence can shift
                other men. Sofía: presence without clear leadership can turn into replacement,
                and money follows signatures. These are not opposite positions.

                A small invitation, in the spirit of the [code of conduct](/code-of-conduct):

                - could each of you name **one thing** in the other's post that you agree with?
                - and one practical arrangement (who signs, who speaks first, who reports back)
                  that would respect both concerns?

                *David y Sofía: ¿podrían señalar una cosa del mensaje de la otra persona en la que
                coincidan, y un arreglo práctico que respete ambas preocupaciones? Gracias por la
                franqueza.*
                """),
                "minutes": 610,
            },
            {
                "key": "babar2",
                "author": "babar",
                "subject": "Defending the process, not the person",
                "prompt": 2,
                "parent": "jean2",
                "quote": "jean2",
                "quote_text": "« Si tu m'avais défendue, j'aurais perdu la salle. »",
                "body": dedent("""\
                Jean-Baptiste, this is one of the most useful things I have read here. Many of
                us men were raised to believe that protecting a woman is the honourable
                response. In a mediation it can do the opposite: it tells everyone she needs a
                protector, and therefore that she is not in charge.

                One question, though. What if the insult had turned into a threat? Is there a
                point where the man in the team *should* step in directly, and how do you agree
                on that point in advance?
                """),
                "minutes": 700,
            },
            {
                "key": "sofia3",
                "author": "sofia",
                "subject": "Coincido en algo importante",
                "prompt": 3,
                "parent": "facilitator1",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Gracias, Lucía. David, coincido contigo en algo importante: hay hombres que
                arriesgan mucho al enfrentar la violencia de otros hombres, y eso no lo puede
                hacer nadie más. No quiero que se vayan.

                Un acuerdo práctico que propongo: cuando un programa sea mixto, que la
                **organización de mujeres firme el convenio**, o que lo firmen en igualdad, y
                que el presupuesto muestre claramente qué parte gestiona cada una.

                Y no, no rechacen el dinero: compártanlo.
                """),
                "minutes": 790,
            },
            {
                "key": "david3",
                "author": "david",
                "subject": "Agreed: women set the agenda",
                "prompt": 3,
                "parent": "facilitator1",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                A fair invitation, Lucía. Sofía, I agree that *whoever signs the contract shapes
                the programme*, and that we have not always been careful about this. Your
                proposal is reasonable and I will take it to our board this month.

                My practical arrangement: women's organisations set the agenda and lead the
                mediation; men's networks bring men to the table when asked, and work with the
                men who are hardest to reach.

                And I take back "in numbers". Numbers were never really the point.
                """),
                "minutes": 880,
            },
            {
                "key": "moderator1",
                "author": "moderator",
                "subject": "Agreeing on signals in advance",
                "prompt": 2,
                "parent": "babar2",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Speaking here as a participant rather than as moderator.

                In our network in Rwanda, mixed teams agree on **signals before the session**: a
                word or gesture the lead mediator can use to say "take over now" or "call a
                pause". Without that agreement, the man in the team has to guess, and guessing
                usually goes wrong in one direction or the other.

                Babar, we draw a clear line on your question: an insult is managed through the
                process; a threat of violence means the session stops, whoever is leading. We
                will open a separate topic on safety next week, and I hope we continue there.
                """),
                "minutes": 1000,
            },
            {
                "key": "sofia4",
                "author": "sofia",
                "subject": "Lo que no necesitamos (y lo que sí)",
                "prompt": 1,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Voy directo a la segunda parte de la pregunta, porque se habla poco de ella.

                **Lo que no necesitamos:**

                - protectores que decidan por nosotras cuándo estamos en peligro;
                - hombres que hablen de "empoderar a las mujeres" en paneles sin mujeres;
                - talleres sobre nosotras diseñados sin nosotras.

                **Lo que sí necesitamos:**

                - compañeros que cuiden a los hijos cuando salimos tres días a una mediación;
                - que enfrenten el acoso en los grupos de WhatsApp, entre hombres, sin esperar
                  a que nosotras nos quejemos;
                - que cedan su lugar en el panel.
                """),
                "minutes": 1130,
            },
            {
                "key": "amina3",
                "author": "amina",
                "subject": "Les signaux, oui, et le débriefing",
                "prompt": 2,
                "parent": "moderator1",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Je confirme ce que dit Grace. Dans notre association, nous avons un signal très
                simple : quand la médiatrice pose son carnet sur la table, l'accompagnateur sait
                qu'il peut proposer une pause.

                J'ajouterais une chose : **le débriefing après la séance**. C'est là que
                Jean-Baptiste a appris ce que sa collègue pensait vraiment. Sans ce moment, les
                hommes ne savent jamais si leur soutien a aidé ou gêné. Et nous, nous n'osons
                pas toujours le dire pendant la séance.
                """),
                "minutes": 1250,
            },
            {
                "key": "babar3",
                "author": "babar",
                "subject": "Giving up the seat",
                "prompt": 1,
                "parent": "sofia4",
                "quote": "sofia4",
                "quote_text": "que cedan su lugar en el panel.",
                "body": dedent("""\
                For English readers, Sofía's last point: *"that they give up their seat on the
                panel."*

                Two years ago I made a personal rule. I do not speak on all-male panels, and
                when I am invited to speak about women and peace, I reply with the names of two
                women colleagues who know the subject better than I do. Organisers have
                sometimes been annoyed.

                Some friends in the women's movement have told me this is a little tokenistic:
                I still decide who gets recommended. I am not sure what to think. Is it useful,
                or just a way for me to feel good?
                """),
                "minutes": 1420,
            },
            {
                "key": "moderator2",
                "author": "moderator",
                "subject": "Accountability has to run towards women's organisations",
                "prompt": 3,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                On the third question. In my experience, men's networks are often accountable
                to donors, sometimes to each other, and rarely to the women they work with.
                That needs to change.

                Some practices I have seen work:

                - a **written commitment** between a men's network and a women's organisation,
                  reviewed together once a year;
                - a named woman partner who can say "stop" or "not like this" without having to
                  justify it;
                - public reporting of who received funds and who was credited in joint work.

                Accountability is not a punishment. It is what makes trust possible.
                """),
                "minutes": 1560,
            },
            {
                "key": "sofia5",
                "author": "sofia",
                "subject": "Útil, si pasas también los contactos",
                "prompt": 1,
                "parent": "babar3",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Babar, es útil, no lo dudes. Pero puede ser más útil todavía.

                Ceder el asiento una vez está bien; lo que cambia las cosas es **pasar también
                los contactos**: presentar a tus colegas directamente a los organizadores, a
                los donantes, a los periodistas, para que la próxima vez las inviten sin pasar
                por ti.

                Y sobre quién decide a quién recomiendas: pregúntale a la red de mujeres de tu
                provincia. Que ellas te den la lista.
                """),
                "minutes": 1700,
            },
            {
                "key": "jean3",
                "author": "jean",
                "subject": "Le comité de suivi, chez nous",
                "prompt": 3,
                "parent": "moderator2",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Grace, chez nous cela existe déjà en partie. Notre groupe d'hommes médiateurs
                rend compte tous les trois mois à un **comité de suivi** composé de quatre
                femmes de l'association locale. Elles peuvent demander qu'un homme ne participe
                plus à une médiation.

                C'est arrivé une fois. Ce n'était pas agréable pour lui, mais cela a renforcé la
                confiance des femmes dans tout le groupe. Je pense que sans ce pouvoir réel de
                dire non, la redevabilité reste un vain mot.
                """),
                "minutes": 1850,
            },
            {
                "key": "david4",
                "author": "david",
                "subject": "Feedback circles in Gulu",
                "prompt": 3,
                "parent": "moderator2",
                "quote": "moderator2",
                "quote_text": "Accountability is not a punishment.",
                "body": dedent("""\
                Agreed, strongly. Since last year our network holds **feedback circles** after
                each joint activity.
                The women mediators speak first and the men listen without responding.
                Only the next day do we meet to discuss what to change.

                It was uncomfortable at first, and some of our members felt judged. But the
                quality of our work improved, and two women's groups that had stopped working
                with us came back.

                Following the exchange with Sofía above, we will also add a line to our reports
                on who signed and who managed each budget.
                """),
                "minutes": 1990,
            },
            {
                "key": "babar4",
                "author": "babar",
                "subject": "",
                "prompt": None,
                "parent": "sofia5",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Gracias, Sofía. That is a very practical answer. I will ask the provincial
                women's network for the list, and I will start making direct introductions
                instead of simply passing on names.

                For my own accountability: I will report back here in three months on how many
                invitations went directly to the women I recommended.
                """),
                "minutes": 2140,
            },
            {
                "key": "amina4",
                "author": "amina",
                "subject": "Et qui paie le temps des femmes ?",
                "prompt": 3,
                "parent": "david4",
                "quote": "david4",
                "quote_text": (
                    "The women mediators speak first and the men listen without responding."
                ),
                "body": dedent("""\
                David, c'est une belle pratique. Mais je voudrais poser une question un peu
                dérangeante : **qui paie le temps des femmes** dans ces cercles ?

                Chez nous, les femmes sont déjà surchargées : le foyer, le champ, la médiation,
                souvent bénévole. Si la redevabilité des hommes devient une tâche de plus pour
                elles, non payée, alors nous avons seulement déplacé le problème.

                Je propose que chaque programme qui met en place des mécanismes de redevabilité
                prévoie aussi une indemnité et la prise en charge du transport pour les femmes
                qui y participent.
                """),
                "minutes": 2300,
            },
            {
                "key": "david5",
                "author": "david",
                "subject": "",
                "prompt": 3,
                "parent": "amina4",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Amina, you are right, and it is a gap we had not seen. In our next proposal we
                will budget transport and a daily allowance for every woman who takes part in a
                feedback circle. I would rather run fewer activities than build our
                accountability on women's unpaid work.
                """),
                "minutes": 2460,
            },
            {
                "key": "facilitator2",
                "author": "facilitator",
                "subject": "Thank you / Merci / Gracias: a summary is coming",
                "prompt": None,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Thank you all for two generous days of conversation. This topic will be locked
                tomorrow and we will pin a summary at the top. Please tell us if we have
                misrepresented you: we will correct it.

                *Merci à toutes et à tous pour la qualité des échanges. Une synthèse sera
                épinglée en haut du sujet.*

                *Gracias a todas y todos. Fijaremos una síntesis al comienzo del tema; si algo
                no refleja lo que dijeron, avísennos.*

                The conversation continues in the new topic on the safety of women mediators.
                """),
                "minutes": 2900,
            },
        ],
    },
    {
        "title": "Staying safe: protecting women mediators online and offline",
        "author": "facilitator",
        "framing": dedent("""\
        Women mediators increasingly tell us that the risks of their work do not end when a
        session closes. Threats arrive by voice note at night; a photo from a community meeting
        is shared with a false caption; a mediator is followed on her way home. Some risks are
        old, some are new, and many go unreported because reporting itself can be dangerous.

        In this topic we want to share what actually keeps people safe, including low-cost
        measures that work on a basic phone and a slow connection. We also want to ask what
        networks, donors and male allies should do differently when a colleague is threatened.

        **Please do not post names, places or details that could identify a mediator who is
        currently at risk.** If in doubt, describe the situation in general terms, or write to
        the moderators.
        """),
        "questions": [
            "What risks do you or your colleagues face as mediators, online or offline, "
            "and how have they changed in recent years?",
            "Which practical safety measures have actually worked in your context, "
            "including low-cost ones?",
            "What should networks, donors and male allies do differently when a mediator "
            "is threatened?",
        ],
        "summary": dedent("""\
        *Interim summary: this topic remains open, and we will update this text before it
        closes.*

        ### Risks are moving onto the phone

        Physical risks on the road and in tense meetings remain. Participants also described a
        sharp rise in threats by voice note, edited photos and smear campaigns that target a
        mediator's family and reputation ({p:moderator3}, {p:sofia6}).

        ### What works, at low cost

        - Travelling in pairs, with the mediator choosing her companion, man or woman,
          according to the place.
        - A phone tree with check-in calls and a code word ({p:amina5}).
        - Logging every incident from the first message, with a trusted colleague keeping a
          copy.
        - Men challenging the sharing of images in group chats.

        ### Still open

        We have heard little yet on the third question: what networks, donors and male allies
        should do differently when a mediator is threatened. Please add your experience.

        Contributions so far have come in English, French and Spanish, with participants
        offering translations and tools to one another.
        """),
        # Written early in the conversation, and not updated since: its facilitators see it.
        "summary_minutes": 480,
        "lock_reason": None,
        "posts": [
            {
                "key": "moderator3",
                "author": "moderator",
                "subject": "Threats now arrive by phone",
                "content_note": "describes threats and harassment of women mediators",
                "prompt": 1,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                I will start. Ten years ago, the risks our mediators described were mostly
                physical: the road home, a hostile family, a meeting that turned violent. Those
                risks have not gone away.

                What is new is the phone. In the past year, colleagues in our network have
                received:

                - anonymous voice notes with threats, often late at night;
                - edited photos shared in community WhatsApp groups;
                - messages to their husbands or parents questioning their "respectability".

                That last one works best, because it turns the family into the pressure.
                """),
                "minutes": 30,
            },
            {
                "key": "sofia6",
                "author": "sofia",
                "subject": "Campañas de desprestigio",
                "prompt": 1,
                "parent": "moderator3",
                "quote": "moderator3",
                "quote_text": (
                    "That last one works best, because it turns the family into the pressure."
                ),
                "body": dedent("""\
                Grace, en Guatemala vemos exactamente lo mismo. Después de acompañar una
                consulta comunitaria sobre un proyecto minero, dos compañeras de la Colectiva
                fueron acusadas en redes sociales de "manipular a las comunidades" y de recibir
                dinero extranjero.

                La campaña no buscaba convencer a nadie: buscaba aislarlas. Algunas familias
                dejaron de invitarlas, y una de las dos pidió dejar la mediación durante seis
                meses.

                El desprestigio es una forma de violencia, aunque no deje marcas.
                Lo que aprendimos: hay que documentarlo todo desde el primer mensaje.
                """),
                "minutes": 120,
            },
            {
                "key": "amina5",
                "author": "amina",
                "subject": "Des mesures simples qui marchent chez nous",
                "prompt": 2,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Voici ce qui fonctionne pour nous dans la région de Mopti, sans grands moyens :

                - **ne jamais se déplacer seule** pour une médiation, toujours en binôme ;
                - prévenir à l'avance le chef de village *et* l'association des femmes ;
                - une **chaîne téléphonique** : chaque médiatrice appelle une collègue en
                  arrivant et en repartant ; si l'appel ne vient pas dans l'heure, on donne
                  l'alerte ;
                - un mot de code, anodin, qui veut dire « je ne peux pas parler, je ne suis pas
                  en sécurité ».

                Rien de tout cela ne coûte cher. Ce qui coûte, c'est le crédit téléphonique.
                Les bailleurs ne le prévoient presque jamais.
                """),
                "minutes": 200,
                # Edited after the summary citing it: its facilitators see it.
                "edit": {
                    "minutes": 640,
                    "addition": dedent("""\
                    *Ajout : depuis le mois dernier, nous changeons le mot de code chaque mois,
                    et seules deux collègues le connaissent.*
                    """),
                },
            },
            {
                "key": "jean4",
                "author": "jean",
                "subject": "Le rôle des hommes dans le binôme",
                "prompt": 2,
                "parent": "amina5",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Amina, le binôme, c'est aussi ce que nous faisons à Gitega. Il m'arrive d'être
                le deuxième membre du binôme d'une collègue.

                Mais attention à une idée fausse : la présence d'un homme ne protège pas
                toujours la médiatrice. Dans certaines familles, voir une femme arriver avec un
                homme qui n'est pas son mari provoque des rumeurs, et les rumeurs deviennent des
                menaces.

                Donc chez nous, c'est **elle qui choisit** son binôme, homme ou femme, selon le
                lieu. Mon rôle est d'être disponible, pas d'être imposé.
                """),
                "minutes": 290,
            },
            {
                "key": "babar5",
                "author": "babar",
                "subject": "Documenting from the first message",
                "prompt": 2,
                "parent": "sofia6",
                "quote": "sofia6",
                "quote_text": "hay que documentarlo todo desde el primer mensaje.",
                "body": dedent("""\
                Sofía, agreed, and it is the step people most often skip, because the first
                message "seems small".

                Our network now asks anyone who is targeted online to keep a simple log: date,
                platform, screenshot, who else saw it. A trusted colleague, not the person
                targeted, keeps a copy. That log is what finally convinced a platform, and once
                the district police, to act.

                We adapted a short checklist for basic phones, in Urdu and English:
                https://example.org/safety/digital-checklist-basic-phones

                Happy to help anyone who wants to translate it into French or Spanish.
                """),
                "minutes": 380,
            },
            {
                "key": "david6",
                "author": "david",
                "subject": "Men in the group chat",
                "prompt": 3,
                "parent": "babar5",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                One more point from the male allies' side. The edited photos Grace mentioned
                are shared in groups where **most members are men**, and most of them say
                nothing.

                In our network we now train members to respond in those groups: not with
                insults, but with a clear message that sharing the image is wrong and will not
                be accepted. When two or three men say this, the sharing usually stops.
                When nobody says it, silence reads as approval.

                This is one place where men can act without taking any space from women.
                """),
                "minutes": 470,
            },
            {
                "key": "sofia7",
                "author": "sofia",
                "subject": "Sí, pero pregúntenle primero",
                "prompt": 3,
                "parent": "david6",
                "quote": "david6",
                "quote_text": "When nobody says it, silence reads as approval.",
                "body": dedent("""\
                David, totalmente de acuerdo. Solo añado una precaución que aprendimos a la
                fuerza.

                A veces un compañero, con buena intención, responde en el grupo y menciona a la
                compañera por su nombre, o reenvía la imagen para "denunciarla". Eso la expone
                todavía más. Así que:

                1. **pregúntenle primero** a ella qué quiere que hagan;
                2. no reenvíen nunca la imagen, ni siquiera para criticarla;
                3. guarden las pruebas para el registro del que habla Babar.
                """),
                "minutes": 560,
            },
            {
                "key": "facilitator3",
                "language": "es",
                "author": "facilitator",
                "subject": "Presupuestos para la seguridad / Budgeting for safety",
                "prompt": 3,
                "parent": None,
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Escribo también como mediadora en el Cauca. Lo que leo aquí coincide con
                nuestra experiencia: las medidas que funcionan son baratas, pero **nadie las
                financia**. Propongo tres cosas para donantes y redes:

                - una línea presupuestaria fija para seguridad en cada proyecto: saldo
                  telefónico, transporte en pareja, alojamiento de emergencia;
                - un fondo de respuesta rápida que pueda desembolsar en 48 horas;
                - que las propias mediadoras decidan cómo se usa.

                *In short: safety measures are cheap but rarely funded. Every project needs a
                safety budget line, and a rapid response fund that mediators control.*
                """),
                "minutes": 700,
            },
            {
                "key": "amina6",
                "author": "amina",
                "subject": "Un fonds rapide, mais accessible en français",
                "prompt": 3,
                "parent": "facilitator3",
                "quote": "facilitator3",
                "quote_text": "un fondo de respuesta rápida que pueda desembolsar en 48 horas",
                "body": dedent("""\
                Oui, mille fois oui. Mais j'ai eu affaire récemment à un fonds d'intervention
                rapide : le formulaire était seulement en anglais, il demandait un devis et un
                compte bancaire au nom de l'organisation, et la réponse est arrivée après trois
                semaines. Ma collègue menacée était partie chez sa sœur bien avant.

                Un fonds « rapide » doit accepter :

                - des demandes en français, en espagnol, ou à l'oral par téléphone ;
                - un paiement par mobile money ;
                - la parole d'une organisation partenaire de confiance, sans dossier complet.
                """),
                "minutes": 820,
            },
            {
                "key": "moderator4",
                "author": "moderator",
                "subject": "Noted, and a short reminder",
                "prompt": None,
                "parent": "amina6",
                "quote": None,
                "quote_text": "",
                "body": dedent("""\
                Thank you, Amina. This is exactly the kind of detail donors need to hear, and
                the facilitation team will include it in the interim summary.

                A short moderation note for everyone: several of you are sharing real cases,
                which is valuable. Please keep doing it **without names, villages or dates**
                that could identify a colleague at risk. I have not had to hide anything in
                this topic and I would like to keep it that way. Thank you for the care you are
                already taking.
                """),
                "minutes": 900,
            },
        ],
    },
]

# A pseudonymous dialogue: everyone in it appears as "Participant N" or a name they chose.
PSEUDONYMOUS = {
    "slug": "speaking-safely",
    "title": "Speaking safely: survivors and mediators, under pseudonyms",
    "description": dedent("""\
        A **pseudonymous** dialogue: here everyone, facilitators too, appears only under a
        pseudonym of this dialogue. Nobody sees who is behind one, except a moderator who must
        give a reason, which is recorded.
        """),
    "chosen": {"sofia": "Ceiba"},
    "topic": {
        "title": "What made it possible for you to speak?",
        "author": "facilitator",
        "framing": dedent("""\
            Many of you have told us that speaking about what happened took years. We would
            like to hear what changed: a person, a place, a rule, a feeling of safety.
            """),
        "questions": [
            "Who or what first made speaking possible?",
            "What would you tell a mediator who wants to listen well?",
        ],
        "posts": [
            {
                "key": "first",
                "language": "en",
                "author": "sofia",
                "prompt": 1,
                "body": dedent("""\
                    A women's group that met in a church kitchen. Nobody wrote anything down,
                    and nobody asked for my name. That was the first time I said it aloud.
                    """),
            },
            {
                "key": "second",
                "language": "en",
                "author": "jean",
                "parent": "first",
                "quote": "first",
                "body": "For me it was the same: a place where my name did not follow me home.",
            },
            {
                "key": "third",
                "language": "en",
                "author": "amina",
                "prompt": 2,
                "body": dedent("""\
                    Do not ask for details to be sure of the story. Ask what the person needs
                    next, and then keep your promise about who will hear it.
                    """),
            },
        ],
    },
}
