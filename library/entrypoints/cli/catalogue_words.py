"""Words for generated titles and descriptions: about 5,000 English words.

Taken from the SCOWL word list (Debian's `wamerican`, public domain): lower-case alphabetic
words of 4 to 9 letters that are not PostgreSQL English stop words, one in nine of them
(chosen by a CRC-32 of the word, so the list is stable). They are data, not code.
"""

WORDS = """
aardvark abacuses abase abattoir abbesses abductors abet abets abides abnegated abrades
abrading abrasive absence absent absinthe absolved absorbed absorbs abstinent absurdly abut
abutments acanthus accepting accompany accurst accusing achieved acne acquired action actively
actuates acutes adage addendums addiction adeptly adhered adhering adhesion adhesives adjacent
adjective adjunct adjust adorably adore adulate advance advents advisable advocacy advocates
aegis aeration aerialist afar affects afflicted affording afforest afloat afterglow agendas
ages agitating agitators agrarian agreeing aided ailed aileron ailments aimless airheads
airlifted airlifts airmail airmails airship airstrips airway alarming albumen albumin alderman
algae alias aliases aliening alike allege allegory allergies allow allowing alloyed alluded
alludes alluvial alms aloe aloud alpaca alters amalgam amalgams amassing amateur ambiances
ambushing amen amends amethysts amiably among amorality amorally amplified anacondas anagram
anarchic anarchy anathemas anatomies anatomist anchormen andantes anecdota angina angle
angriest animator annoyed annual annul annulling answered antedates anti antipodes antiquary
antique antiquing antis antitrust antiwar antonym ants anvils aperture apes apiece apogees
appearing appendage appetites applauds applies applying appoint appoints appraise apprised
approach aptitude aquanaut aqueducts aqueous arced archers arctic areas argued argument
armatures armfuls armhole armlet armorer armpits arose arranging arrivals arrows arsenal
artful artillery artist artlessly artsiest ascended ascending ashier aside assaulter assembler
assn associate assonance asst assures astir astounded astounds astrology atelier atheism
atheistic atomic atonement attaining attar attend attitudes attorney attracted audience
audited aughts auguring aunt aureolas auricle authority autism avenge avenged avoiding avow
avowed awash awesome awful awkwardly awls axle ayatollah baas babbler babels babes babying
babysat backfield backfire backless backlog backlogs backstory backups backward badly baffle
baggage bagpipe bake bakers bakery balalaika balkier ballast ballasted ballerina ballparks
ballroom ballsiest balmy balusters bandannas banged banish banjoists banned barbecues barbeque
barbering barely bareness barest barnacle barrack barrages barraging barrels barrenest
barrette barrettes barring bartered base baselines bashfully basing bast bastions bathmats
bathroom baton bats battened battered batteries batters battier battled bauds bawls bayous
beady beamed beard beaver becalms becks become becoming bedazzled bedside bedsore bedtimes
beeches beechnut beefier beefiest beefs beeline beeped beeswax beeves befallen befalling
befell befog befouls befriends begetting begone beheading behinds belfry belied believer
bellowing bellows beloveds bents benumbs benzene berate bereaves beriberi berry berserk
beryllium besieger besieging besom besot besotted bespoke bestirred bestowing bestrode
betrayals betrayer bevel biasing biathlons bicameral bicep bigamist bigamists biggie bigot
bikinis bilious billet billeting billion billowed binaries bindings binnacles binomials
biography biopsying biplane birdie bisectors bisects bisexuals bison bitched bitchier bittern
blabbing blackens blackish blacktop blame blamed blandest blanket blast blasters blazer
blazers blazon bleacher bleat bled bleep blessed blighted blimp blinded blinds blinkered blip
blissful blisters bloatware blockades blocked blockhead bloodless bloom blooming blooms
bloopers blotchier blower blowing blowsier blowziest blubbers blued bluffed blurred bluster
blusters boast boasted boat boatman bobtails bodyguard bogeyed bogeying boggiest bogging bogs
bologna bomber bombing bombs bonanza bonbon bongoes bonny bonsai bony booklets boondocks
boosts bootie bootleg boozers bordellos bordering boringly boroughs borrow botanical botnet
bottling bottom bottoms botulism bounced bound bounded bounties bowls bowman boxers boyhood
boyishly bracelets bract brags braid braiding brainy brands brawled bray brayed breadths
breakers breakfast breaking breathes breaths breeder breeding bribes bricking briefings brink
brisk broadcast broadest brochure brogan bronchi broncho bronze brooding brooks browbeats
browner brownish browsers brunching brunette brushed bruskest bruskness bubbles bucked
bucketing bucks bucksaw buckskins bucktooth budged budgetary budging buffalos buffer buffeting
builder building buildup bulb bulge bulkheads bulkiest bulldozed bullfrog bullhorn bullish
bullrings bummest bumper bumpers bunched bungled bunion bunked bunker bunt bunting burden
bureaux burials burlier burnous burnt burr bursted busboy busby busheling bushy busies bustled
busybody busying butchery butt butters buttes buxom buyouts bylines bypassing byway cabal
cabbies cabins cabs cackle caddying cadge cadges caesarean cafeteria cagey caging calcine
calendar calipers caliph calking caller callous calluses came camisole campanili campfire
campuses cancerous cancers canned canoe canteens cantering cantor canvass capers capes
caprices capsize capsized capstan captained captains captious captures carbuncle card cardigan
cardinals careful caress caret carmines caroled carolling carols carotid caroused carousel
carpeted carried carvings case casein caseload cashiered casket cassava cassavas casserole
cassino castanet castaways castling casual cataract catchers caterwaul catholic catkin
caulking cautions cavalries cave cavern cease ceasing ceded cedes ceding celebrant celery
celestas celestial cellulite celluloid cenotaphs censoring centers centigram centrally
certainly certified cervices cervix chagrin chairs chalking chalks chamomile chancing changed
changes channeled chanted chanter chanties chargers charities charters charting charwoman
chased chasing chasm chaste chastity chattered cheating checkbook checkered checks cheekier
cheer cheeses cheesy chemist cherished chests chevron chevrons chewer chewy chicest chick
chicks chili chilies chilis chillier chimes chimney chiseller chives chock chokes choosey
choosing choppier choppily chops chores chorister chorus chows chrome chump chunkiest churches
churl chutzpa cicadae cicatrice cilium cinches cinctures circled cities civics clamoring
clapping clarions clarity classing clatter clauses clayiest clearness clears cleavers clef
clefs clemency cleric cleverest clews clicked climbing climbs clingiest clinging clings clingy
clipboard clitoral cloak clobbers clog clomped close closeness closeting closures clothes
clothing clubfeet clubfoot clubs cluing clunkers clunkier clutching coaches coachmen coaled
cocaine coccis coccus cockades cockneys cocooned cocooning codex codfishes codicils coeval
coffers cognacs cognition cognizant cohesion collapses collars collected colliers collocate
collusive colonels colonized colonizes colorful colossi columns combed combined comfier
comings comity committal communism compelled competed composer compounds comprise compute
computers concede concern concerned concludes concourse concreted concurred condenser
condiment condoling condos conduces conduct confer confers confidant confiding confirm conform
conformed confront conga congaed congas congest congress congruent conj conjoint conjugate
conjuring conked conks connect connected connector connives conniving connubial conscript
conserve consort consorts consulted consults consumer container contempt contender contort
contours contrails contused conundrum convent converts conveyor convulse cookeries cooks
coolants coolest coolly cools cooper coopered coos coots copiers copies coppice copra copula
cord cordials cordons cores corny corporal corpse corralled cosmetics cosmoses cost cottages
coughing could counter county couplings courage coursed courser coursing covenants coverlets
cowards cowboy cowlicks cowling cowpox coyly coyotes coziness crack crackdown crackers
craftsman cranberry crannies crappiest crashed crass crating crave crawfish craziness creaky
creamery creamiest creaming creasing created creative creators creatures credence credits
credulity creeper crewmen cricking criminals crimping crimps cripple crippling crispest crispy
crocodile crocus croon crooned crooning crosier crossbows crossly crossword crotchet crouching
crucibles cruciform cruddiest crude cruet crufty crumpet crumple cruncher crunchier crunchy
cube cubism cuckold cucumber cucumbers cuddle cuddliest cuddling cuddly cudgeled culprits
cunninger cunt cupboard curative curator curb curies curlicues currant currency cursorily
curtains curter curtness curtsied curved cussing custard customs cuteness cutest cutesy
cutlasses cuts cutter cutting cyanide cycle cyclic cylinders cymbal dabbing dabbler dabbles
dadoes dahlia dairy dallied dallies dally dallying damasked damping damsons dandiest dangers
dankest dappled darns dartboard dash datum daughter davenport davit daybeds daylight daze dded
deadbeat deadbolt deadened deadline deal dealing deathly debar debate debaters debating debit
debunked debuts decadence decadent decaf decanted decanting decibel decidedly decimated
decipher deciphers deckhands declaims decorates deejay deepfake defeated defeats defecting
defending defenses deferment defers defies defoliate deforms defraud dehydrate deicers deifies
deigned deject delicacy delighted delivered deliverer delivers delphinia deluding demerit
demesnes demitasse demo democrats demoniac demount demur densest denting dentures denudes
depiction deplaning deplete depletes depletion deposed deposit derail derails derives derogate
descants descries desertion desiring desks despising dessert destiny detach detentes detention
detest detonated detracts devalue deviate deviating devotees devoting devout devouter dhoti
diacritic diagnoses diagnosis dialectic dialog diaphragm diatribe dickered dictators dictum
dieseled dietetic difficult diffing digger diggers dignitary dignities dignity digs diked
dillies dimes dimmed dimmers dimming dinged dingiest dinginess diorama diphthong diplomat
dippers direst dirk dirtballs dirtiest disabling disagree disavowed disband disbars disburse
discern discharge disclosed discounts discusses disdains diseased disguised dishtowel disk
dismayed dismount disorders dispels disport dispose disposing dissonant dissuaded distaffs
distances distastes distemper distend distress disturbs disuse disused diurnally divas dive
divides diviner divinity divisors dizziest docking doddered doddering dodge dodgers dodgier
dodo dodoes doff doffed doggones doghouses dogmatism doles dollars dolling dolmen dolphin
doltish domicile domiciled donuts doodle dooming doorsteps dopes dormouse dossiers dotage
double doubts douched doughiest dowager dowel doweled doweling downbeats downgrade downpours
downs downturns dowry dowse doxology doyen dozen drabber drabness draconian drams dreadful
drenched dressings dressy dribbler driblet drier dromedary droop dropouts drouths drover
droves drowning drownings drowns drowsed drubbing drudgery drugs druids drums drunkards
drunken dryad dubiously duchesses duding dueled duels dues duffer dugout dumbfound dung
dungeons dunner duodenal duration dustier dustless dustpans dwarf dwellings dwelt dyer dyking
dynamos eagles earache earfuls earliest earls earn earphone earshot earthing earthlier easiest
eating eaves echoed economic ecstasies eddied edema edginess edibles edicts edifice edify
eerie effaced effluents effulgent effusion eggbeater eggheads egging egoists egos eightieth
eighty either ejected eking elbow electrify elects elegy elevators eleven eliciting elision
elitism elks eloped eloquent elsewhere elude elves emaciated emails embeds ember embers
embitters embodied embroiled emergence emetic emetics emissary emolument emotes emotive
emphases empire employe emporiums emptiness emulsions enamel enameling enamelled enamored
encases encircles enclose encoded encoding encompass encores encrypt ended endemics ending
endives endocrine endorser energetic energies enervate enervated enervates enfeeble enfeebles
engrosses enjoy enjoying enlarges enlivened enmity ennobled ennobles ennui enormous enquired
enrages enriched enrolling ensconced enshrines enslaving ensnared ensued entailing entangled
entangles entices entirely entitling entombs entrants entrapped entreats entryway envelops
envies epithet epitome epoxyed equalized equalizer equinoxes equipping erase erases erecting
erectly erred ersatz erstwhile erudite escapees eschewing esophagi espies esquires essayist
estates estimated ethical ethically etymology eucalypti eulogized euphemism evaluate evenest
every evicts evildoer eviller evoked evoking evolving exacted exactly examine examples exceed
exceeded exceeding excellent excelling excels except excepts excerpts exchange exchanged excl
exclaim exclaims exclusive excuses exemption exert exertions exhaling exhibited exhibits
exhumed exigent existed exiting exits exodus exorcised expands expedient expedite expelling
expels expiation expire explicate explode exponent exports expresses expurgate extremist
extremity exude eyed eyeing eyelashes faceless facelifts facepalm facetious factors fagged
faggots fagot failure faithful faker faking falloffs fallow fallows falsity famed familiar
familiars family fanciful fans fantasied farce farm farmer farrowed farrows fart fascists
fastened fastness father fatty favorite feature federated feds feeblest feebly feeds fells
felonious femora femur fences fennel fervid fester festival festivals festoon fetid fettered
fewer fibroid fiddling fife fifteens fiftieths figments figure filbert file filing filmiest
filter filtering filthier finale finalist financed finch finer finessed finickier fining
finises finish fiord firestorm firewalls fireworks firmed firmness firs firsthand firths
fishes fishtail fistful fitness fitter fixates fixatives fixed fixer fixes fixing fixity
flailed flakier flakiness flame flapper flared flashed flashy flatbed flavors flaws flaxen
fleecier fleets flesh flexed flexibly flight flightier flinching flinty flipped flippers flirt
float floes floodlit floods floor flopping floss flossing flotillas flounce flouncing flouting
flow flowered flowering flukier flumes flushing flyovers flywheels foaling foamed fobs focus
foggier foghorns fogies fogy folder folios follicle following foment fomented fondu foods
fooled foolery footed foothold footing footnoted footsies forage foraging foray forbade
forborne forced forearm forebears foreleg foresee foreskin foresting foreswore foretell forged
forgetful forgive forgo forklifts formats formula forswear fortieth forts fossil fossils
foundling fountain fountains foxy fracking fracture frag fragrance frags francs fraught frayed
freaky freedman freelance frescoes fretfully friended friendly friezes frilly frisked fritter
frizzier frolic fronting frostbite frostier frothed froze fruition frumpy ftps fucking fucks
fudging fuels fully fumbled fungal fungicide funking furies furnished furry futzes fuzz
fuzzballs fuzziest gabbles gabby gadfly gaffs gagged gain galleons galley gals gambits gamble
gamboling gamecocks gamete gamine ganders gangling gape gapes garb garbing garbling gardeners
gargle garishly garland garrison garters gaslights gasolene gasoline gatherer gauntlets
gavotte gawked gawkiest gawking gazelles gazers gearbox gears geeky gees geishas gelatine geld
general genes genesis genre gentian gentler genuine geocaches gerund ghastlier ghastly
gherkins ghetto gibbets giddily giggler gilt gilts gimmicky ginkgoes ginned gins ginseng
girders girdled girlhoods giveaway gladioli gladness glamored glamour glaringly glass
glassiest gleaned glint global globed globes gloom glorifies gloved glutting glycogen gnarlier
gnarly gnat goatskin gobbler gobbles goldener goldenest goldfish gollies gonads gong goodbys
goodwill goofed goofing goofs googling gooier goose gooses gorges gotcha gouges governess
gowns grackles grade gradual graduates grafted grafter grain grainiest grandpa granges grant
graphics gratitude gratuity gravelled graves grayest greening greets grepped griddle grieve
grieves grilles grimaced grimed grimes grimiest gripe gripping grislier groggier groggiest
grokking grooved gropes grosbeaks grossing grouching groundhog grounding groupers grouping
growing grown grubstake grudged grunge grungy guarded guerilla guess guessable guesser guesses
guffaws guided guitarist gulps gunfire guns gunshots gustatory gusts guts guzzle gybe gymnasia
gypped gypsum gyrating gyrations gyros habits hacienda hacked hacker haggled haggles hailing
hairless halberd halftimes haling halitosis hallows hallways halon halters halyard hamper
handball handful handiness handle handled handpicks handrail handset handwork hangnails hanker
hankered hankers happy harboring hardbacks harder hardline hardship hardwood harelips harmonic
harmonics harp harped harpist harpists harpooned harrowed harrowing harrying hasp hastens
hatchets hatred hats haughtier hauled haunches haunting havoc hawks haymows hayseed haystacks
hazarded hazardous hazards hazelnut hazier haziness header headless headlock headrests heap
hearties heartsick hearty heatedly heaven heavenly heaviest heckled hectic hedgerow hedges
heeding heir held heliport hellish helmet helper helpmate hemline hemp henchman hennaed hens
herbal herbivore hereabout heretic heretical heritages hero heroics heron hesitates heterodox
hexagon hexameter hiccup hickey hidden highbrow highbrows hijackers hijacking hijacks hiked
hilarious hind hindering hinge hinging hings hippos hiss hitters hoards hoarier hoary
hobbyists hobnailed hobs hocked holdouts holing hollers hollowed hollowest hollowly holograph
holstered homage homed homemaker homespun hominess hones honesty honk hood hoofing hookahs
hooked hornpipe horrid horrific horsewhip horsing hospice hospices hospitals hostels hotheads
hothouses hounds hour hourly housewife hovered howdah huffy hulas humanism hummocks humored
humorist humorous humpback hurrahed hurrayed husbanded hushes husked hydras hymning hyperbole
hyphening hypos hysteria ibex iced iciness idealism identify identity idiomatic idiotic idler
idolizes idylls ignite ignoramus iguana illegal illiberal imagery imagine imbues imitation
immersed immodesty immolated immure immuring impala impaneled impart imparted impedance
impeded imploding implore impose imposing imprecise impulsive impure incentive incise incisor
incisors inclined incoming increment indelible indigents induces indues industry inelastic
inertly infamous infects infer infested inflaming inflected informal informs infringe
infringed infuse ingress ingresses inhered inhibited initiate injector injure inkiest inkwells
inland inline innermost innovates inns insert inserting insignes insolence inspector instance
instead insular insults insure insureds intaglio intaglios intensely intently intents
intercept interface interior interpret interring inters interview intestate intruders
intruding intrusted inure inuring invade invaders invading inveigh inveigles inverse inviolate
invited inviting irascible iridium irks irritates isometric issue itemized itinerary jackets
jade jades jags jailed jalousies jangle japan japanning japed jasper jawboning jazzed jazziest
jazzy jealousy jeep jeered jellyfish jerk jerky jest jets jetty jewelers jibe jigsawed jihads
jingled jinxing jockeyed jockeying jockeys jocose jocund joggled joggles joist jollied jolts
joshes jottings joule joyful joyrides joyrode joysticks jubilant judge judges judgments
jugglers jugs juice juicily juicing juicy jujubes jumbos jumpers jumpsuit juniors junketing
kahuna kapok karat karats karma katydid kebob keeling keenly kegs keratin kerchiefs keyhole
keystone kibitzers kibitzing kiddies kidnaper kidney killdeers kilo kilobytes kilometer kingly
kinkiest kisser kite kitten knavish kneader knells knights knockers knocks knot knotted
knottier knuckles krone labor laborious lacerate lacks lacquer lacunae lacunas ladybug laggard
lagging lags lair lamas lambast lambaste lamely lamer lampposts lances landowner landslide
languidly lanyard lapidary lapses larcenous largest larking larvae lasagnes lasers laterals
lattices laughably laughs laundry lavender lavisher lawgiver lawn laxness layette laymen
layouts laypeople lazily lazying leaching leaded leafed leakages leanings leanness leans learn
learners leas leathery lecturer legalisms legalizes legging legislate lemons lemony lenders
lends lengthen lengthily lesion lets lettering levers levity liaising libation libations
libeller liberals librarian libretti licenced licencing lichees lichen lichens life lifeboat
lifeforms lighten likelier lilt limbo limericks limes limestone limited limply linden lined
linesman linger lining linkage linkups lintels linting lionesses lionize lips lipsticks lira
list listens listings liters litigants litigated litterbug livelier livestock livid llama
llamas loamier loathed locations lockup locus lodestone lodger logged logic logicians logoffs
loins loiterers loitering loiters lollypops longing longitude lookalike loonier loonies
loophole loose loosed loping lopping lord lorries losses lottery lounge lounges lout louts
lovely loyallest lubricate lucky lullabies lumbago lumped lumping lunge lupine lupins lurched
lute lxvi lynx lynxes lyric mace macerates machine machines macro macrocosm macrons maddened
madhouse madrigal mads maggot magically magicians magnate mail majesty majority makeshift
malarkey malign mallards malts mammon mammoth managed manes manfully maniacs manicure
mannikins manse mantel mantras manually manuals maracas marauding march marches margin margins
marimba marine markup marquees marriage marries marshaled marshes marshier marshy martin
mascaraed massively masters mastoid mastoids materials matrimony matrons matte matzohs mauls
mavens mayfly mead mealy meaning measlier mecca mechanics mediators medic medicates mediocre
meditated medulla meekest melodies melodious membranes memos menagerie mention mentoring
meowing mercury merganser merging merit merited merriness meshed mesmerize metaphor meteoroid
mettle mezzanine microcosm middlemen mighty migrates mileage mileposts miler military
militates milker milksops millers milliner million mills mimetic mimic miming mimosas minced
mincing mindless minds mineral minim minims minting minty minuends minuet minutely minuteman
minuter minutes minutest minuting miscall miscuing misdoings misdone misjudges misplace missed
missive misspelt misstated missteps mister mistiest mistypes misusing mitigated mixers moans
moats mobiles mobsters mockery mocks modems modernity modifies modulator modulus moistest
molar moll molt molting momentary monied monitors monkeyed monologs monotone monsieur montage
moods moped morbid mordant mornings mortally mortared mortars mortices morticing mosaic
mosquito mostly mothball motor motorcade motorist motorman mottled mottles mourner mourning
movers movies muckrake muddier mufflers mulattos mulch multi multiplex mumblers mundanes
municipal murderess murkily murmured muscat muscatel muscular mushed musing muslin mussels
mussiest mustard musters mutate mutely mutilated mutinies mutiny mutts mutuality myna mynahs
myopia myopic mysteries napalming nappiest nark narrated nastiness national natives nattiest
nattily nature navies naysayer nears nebulae necks needles negligee neophyte neptunium nerds
nervy nesting netter netters newsboys newscast newtons nickles niggards niggles nighest
nightcap nighties nightly nighty nimblest nineteen nipped nipper nippier nipples noblemen
noggin noisome nonevent nonplus nonuser nonvoting nooses north northwest noses noshed nostril
notable notations notch notifies notorious noun nouns nourish nourished nourishes novelists
novellas novice nuanced nuances nuclear nucleus nudest numbing nuncio nurturing nutmeats
nutrient nutted oafs oases obituary objecting obscenely obscure obscurest obscurity obsession
octagon offending offense oiliest olden omens onerous oneself onrushing opacity opal opener
operand operate operation operetta opined oppose opposed optimums optometry opus oracle orates
oration orations orbit ordinary ordnance organelle organized orgasmic orgies orifices orphan
orthodoxy osteopath otiose ounces outhouses outlaw outlaying outlets outsells outside outsizes
outsmarts outsold outspread outward outwardly outweigh ovals overalls overblown overdo
overdoing overdraft overeager overflow overgrows overhand overkill overlaid overland overlying
overpay overplay overruled overseer oversleep overtaxed overtones overview ovulate ownership
owns oxidation oxidizers oxygen pacifier packet packets pact paddies padlock pager pagoda
paintwork pair palatable palavered paleness pallets palmiest palpable palpated palsying
pamphlets panaceas pancreas pandas panel panelists panes panic paniers pannier panoramas pant
paper parade paragon paragons paralyzed parasols parents parleyed parleying parquet parrot
parses parsnips partizan partizans passed passer passions passwords pasta pastern pastiches
pasting pastrami pastries pasturing patented path pathology patience patriarch pats pattering
pavilion pavings pawl paychecks payers payload payments peacock pealing pear pears pebbles
peculiar pedagogic pedaling pedalled pedicure peed peep peewee pekoe pellet pelvises penalized
pence penchant penciling pencilled pending penile penitence penology pentagon peonage peoples
perfecter perihelia peril periscope perishes perjure permed perms perplex persevere personify
perspire pertness peruses perverse pesos pestled petard pettifogs petty pewee pewters peyote
phantasm phials philters phish phisher phobias phonemic phones phoniest phonology phony
phonying phrasal physical physicist physics pianists pickax pickers picketing pickings piety
piggyback piglet piking pilaffs pillar pillion pilots pimentos pimple pimply pinafore
pinafores pine pined ping pinkest pinks pinnacle pinnate pious pirating pita pitched pitchman
pith pithily pittance pitying pizza pizzerias placard placebos placenta placing plague planets
plantains planter plaster plasters plateaux playboys playhouse playlists playmate playpen
playrooms plays pleads pliant plops plows plucked plum plumb plumbed plume plumped plumping
plunge pluses pneumonia pocks podded podiatry podiums pogroms pointier poisoned polar
polemical polishes politer political polled polluter pollutes polonaise polyglot polymaths
pompadour pomposity poncho ponderous pontoons pony poohing pooled pools poop popularly
populism porringer portaged portrayed poses positions possibles possum post postdate postmark
posturing potash potshot pottering practise prairie prance prattled prawns pray prayer
preached preacher preceding precisely preciser predating predicted preempt preempts preening
preexists prefabbed prefixed pregnant prepays prepped preppier prepping preschool presence
presents presides presses pressmen pressured prestige preteens pretend preterite pretexts
prettify prevailed prevents previewer prewar pricing prickle prickles priding priest priestly
prime primitive primped primps printing prioress prisoner private privets probation probe
procedure proceeds processed processes procurer prodded prodigals producers product profanes
profit proforma profusely prolific prominent promised promoted prompt proofs propels properest
proponent prorate proselyte prosodies prosody protected protects protestor protrudes provide
provides proving provost provosts prudently pruned pseudonym pshaw ptomaines publicly pubs
puerile puerility puffball pullback pullet pullouts pulsed pumices puncture punsters punted
puppeteer pupping pureness purgatory purifiers purported purser pursuit purveyor pushy
putrefied putsch puttering putts puzzlers pylons pyres pyrite quacks quad quadrille quagmires
quarters quash queen queers quells quibbles quickies quicksand quietly quine quipping quirky
quizzical quoiting quotes rabbis racers races raceways racism racketed racquet racy radiates
radical radio radioing radiuses raffling rafter ragtime railed railings raises rajah rallying
rambler ramified ramifying ramparts ranched ranching rangers ranked ransoms rant rapine
rapport rapturous rarefy rashers rasping rather ratifies ration rattle ravaged ravages
ravaging rave raveled ravioli ravishing rayon razing reach reaction reactions readier realign
realism realized realm reamers reaming reams reappears rearming rearms rebate rebels recall
recedes receive recheck reckless recline recollect recopied recopies recorder recorders
recount recoup recruit rectangle rectum redcaps reddish redheaded redirect redounded redraft
redress reediest reeds reefers reenlists reenter reentered reentry referral referring refiled
refiling reflector reflexes refocuses reforest reform refracted refresh refueling refuge
refuges refulgent refund refunding refunds refuse refused refusing refute regard regiments
regret regular rehearsal rehearses rehi rein reined rejecting rejects rejoicing rejoining
rejoins rekindles relate relatives relaying relegated religion relish reloaded reloads
relocate relying remakes remarried remarries remedial remedied reminding reminds remodel
remodeled remoter renaming rendering renegade renegaded renegades reneges reneging renewal
rental rentals rented renters renting reorders repaired repeats repented repertory reporter
reprieved reputing requiem rerunning resale resell resembled resentful residents residuals
resigns resistor resolute resolved resonant resonates resp restating restless resultant
resulting results resume retail retain retells reticence retinues retook retorting retouches
retrace retraced retrain retried returnee retweet reunify reuses revamping revelling revelry
reverent revert revery revisit revokable revolt rewrite rewritten rheostat rheostats rhetoric
rheumatic rhythmic rickety rickshaw riffling rifted rigging rightly rights rime ring ringing
rinsing risers rises risible risk riskier rivaled riveted riveter rivulet roadways roadwork
roaming roaring robotic robots robust rock rocker rocking rocks rodent roebucks roentgens
roisters roles roll rollbacks rollicked roofing rook rooming root roping rosiness rostrums
rote rotor rotundity roughage roundish rouse rove rowing royalists rubdowns rucksack ruffled
ruffs ruggeder rugrats ruinous rulers rumbled rumbling ruminate rummages rump rumple runaround
runes rung runniest rupture rural rusty sable sabotaged sabotages saccharin sackful sackfuls
sacs saddens saddles safariing saguaros sahibs said salesmen salients saloons salted saltiest
salting saluted salvaged sameness samovar samovars samurais sander sanders sands sanserif
sapience sappiest sarcastic sashes sassed sassy sate saturnine saucers sauciest saunaed
saunters savvies savvying sawdust saxophone scabbed scabrous scags scalding scalier scalp
scalper scamps scandals scanner scantier scanties scanting scarab scarcer scariest schedule
scheduler schemes schizoids schlepp schlocky schticks scintilla sclerosis scoffed scofflaws
scolded scooped scooting scorch score scorers scorning scourge scours scowls scows scrap
scraper scrapers scraping scrappy scratches screwy scripting scrolls scrooge scrub scrunch
sculptor scuppered scurrying seabeds seacoasts seafood sealskin searches seas seashores
seaside seasoning seaways seclude secluding secrecy secreting sectioned sedan sedans sedater
sedatives seduction seem seer seesaws seethe seethed seethes seismic selector selfies selfish
selfless selfsame semesters semi separable sepsis septet sequencer sequitur sequoias serapes
serenely serous servants servile servility sets settler severed sextant shabbier shacks
shadings shagging shags shake shaker shakier shallow shambling shammy shampoo shams shapely
shapes share shariah shaved shavings shawls shearing shears sheathes shebangs sheepfold
sheepskin sheeting shekel shelled sheller shepherds sherbet shes shielding shiftily shiftless
shiitakes shimmed shin shinier shiniest shins shipping shirker shirred shirring shirttail
shitting shitty shlocky shoals shock shocks shoddy shone shoring short shortens shorthand
shortlist shots shovelful show showbiz showgirl showgirls showily shreds shrewder shrewish
shrews shrieking shrillest shrills shrimp shrink shrived shrivel shrives shrugging shucked
shudder shuddered shuffles shunted shut shuttling sickbed sicker sickest sicklier sidearms
sidelined sideshow sideways sieve sightless signer signified signpost silencer silencing
silenter silks silky sillier silvering simpering singly singular sinkable sinking sins
siphoned sired siren siring sirloins sirup sissy situ situated sixes sixteen sized sizzle
skate skaters skeet skewing skiff skillet skills skimmed skip skips skirts skivvied skulks
skullcap skunk skydive skylarks skylights skyline skywriter slackened slaloms slammer slammers
slaphappy slavered sleaze sledges sleekly sleeping slickers slighted slobbered slobbers slog
sloppier sloppiest slops sloshing slouch slough slugged slugger sluices slumdogs slump slumped
slumping slyer smack smacking smart smeared smearing smelliest smelling smelts smidgen
smilingly smirched smoggiest smokiness smolder smoldered smoothed smoothly smoulders smugly
smurf snacked snacking snail snappish snapshot snarf snaring snazzier sneaked sneered sneezed
sneezes sneezing sniffing snip sniper snitched snivel sniveling snooker snooping snoops
snoozing snorer snort snowdrift snowman snowmen snowplows snubbed snuffle snuffled snuffling
snugs soaped soberer sobering sobs social sodden sodomites softballs softening softens softie
soggier soggily soggy sojourns solaced solder solecisms solenoid solidly solidness soloing
solvable solver solves somber songbird songster sonnet soporific sorest sorrow sorrowed
sorrows soughing soundless soundness sour sower spaceman spaceship spacing spacy spaniel spar
sparkled sparring speccing specific specious specking speckles spectator speech speeded
speedily speedway spheroid spiking spinal spindle spine spinnaker spinster spiraling spitball
spites spitfires spits spittle splashes splashy splatter spleens splice splint splurged spoken
spooks spooky spooled spools spoon sportier sportive spottiest spout spouting sprains spread
spreading spreads spree sprinkler sprinter sprouted squabble squalls squanders squarely
squares squeaked squeezing squelch squelched squinted squiring squirrel squishes stabs stage
staggers stagnates staleness stalwart stamen stamens stamina stances stanzas stapled starkness
starlet startle starve statehood stationed stay steadfast steadiest steadily steamer steamship
steels steeper steeps stemming stench stenciled stepson sticking stiffness stifled stiletto
stokers stomach stomachs stones stonier stoplight stoppers storage stork stormiest story stows
strafed straitens strands strawed stray strays streaking streams strengths strictest strident
stringier stripling strokes stropped strops stud student studio stuffy stumble stumbling
sturdiest stutter styes stylizes stymie subdivide subgroups subheads sublimer submerse
submerses subplot subpoenas subset subtitled subways sucker sucrose sudsiest suffered sufferer
suicides suitor sulfate sulfur sulkiness sulphur sultanas sultry summation summered summit
sump sumptuous sunbathes sunbeam sunder sundown sundry sunfishes sung sunscreen sunspots
suntan superiors supers supersede supplants supplest supremacy sure surety surfeit surfeited
surgical surlier surmounts surname surrey surrogate surtaxes survey suspected suspects swabbed
swaggered swallows swamp swampiest swatted swearers sweatiest sweets swill swimsuits swindler
swindlers swindling swines swirls swollen sybarites sybaritic symbolism sympathy syndrome
synergy syntactic syphoning syringe syrup tabbed tableaus tabloid tabular tacitness tackler
tacos tact tactfully tadpoles tailor tailspins tailwinds takeaways taking talc talents tall
tallies tallyho tallyhos tamale tamed tamely tameness tames tankful tanner tanners tannin
tapering taproom taprooms target targets taro tarpons tars tartness tarts tasks tasselled
tassels tasteless tattles tattoos taupe tauter tawdry tawniest taxied taxpayer tbsp teakettle
tealight teaming teamsters teardrop tearfully tearing teazle teems teensier tees teeth teethe
telephoto teletype tempers temptress tended tendering tending tenement tens tensing tensor
tensors tenures terabits terabyte termly tersely tethered tethering text texted texting
textures thank thankless theorized theory therapist thermos thickens thickness thieve thieving
thimbles thinkers thirsting thorium thorniest though thousand thrillers thriven throbbing
throbs throe throwaway thrusts thug thundered thunks thwacks thymi ticketing ticks tidewater
tightens tiling timbre tinged tingle tinkering tinseling tiptoeing titan titbit title toady
toaster toddles toehold toeholds toffees toggling toiled tokenism tokes tolerably tolerance
tolerant tolling tomb tomes toner tonsil tonsorial tonsures toolbar toothsome topmost topping
toppled topsail torched torrents torrid tors tortilla torturing totaling totals toting toucan
touchings tourism tours towed towing town traced track tracked trackers tract tractor
tragedian train trainees traipses trait trammel tramming trampled tramps transited trashier
travel traverse traversed trawlers treadling treads treasured treasurer trellised tremolos
trespass tresses trials tribe tributes trident tries trifle trimester trimming trims triplet
tripling triply tripos triumphs trolling trollops trooped troopers trounces troupers trouser
truancy truce trucker truckled trudges truffles trumped trumps trunking trust trustful trying
tsarina tsarinas ttys tuber tubercle tufting tumbrels tummies tumor tuners tuns turbots
turnkey tushes tusks tussocks tutors tuxedo twain tweaked tweaking tweets twerked twiddled
twinging twirl twist twisters twists twofers tycoons tying typically typists tyrannize tyrants
ultimatum ululated umbilicus umpired umpteen unable unadvised unarmed unasked unbiassed
unbosoms unbuckles uncleaner underarm underfoot underhand underlain underpaid underpin undone
unearned unearthly uneasy unequal unfairest unfitting unfrock unfunny unhands unhook unicorn
unique unisex unison unity universes unknowing unleaded unload unlooses unloved unmanlier
unmatched unmindful unpacking unpin unrelated unrivaled unsafer unsealing unsounder unsubtle
untiring untouched untreated untrue untruest untutored unveils unwed unwinding unzips
upchucked upchucks updater upgrades uphill upholds uplands uploads uppercuts uprights upstage
upstream upsurged urban urbanity urea urethrae usurpers uteri utilized utopia utopias
uttermost uvula uvulas vacancies vacant vacuums vagrants valeting valets valise valorous
valuation valves vanes vanity vanned vaporizer variably variant variants variate varicose
vaster vastness vaulter vaunted vaunts vegan vegetates veiling vein vellum velocity velvety
veneering venial venomous venous vent veranda verbena verbose verbosity verdicts verdure
verifying vertex vertexes vetch vetoing vetting vials vicars viceroys vignetted vilifies villa
village villains vinegary vineyard vinyls violin viols virago viragoes virgin virgule virtuoso
virtuous visa viscera viscid vises visor visualize visuals vixens voile vols voodooing voted
voucher voyaging vulvas wabbits wacker wacky waddles waded wads wafting wager wagged waggish
wagons waist waken wakened walker wallet wanks wanner warders wardrooms wards warlock warns
warpath warpaths warps warren warship warships wash washes washings washout washroom watermark
waters watery wattle wattles wavering waving waxiest wearily weasel webinar webisode wedded
weddings wedging weeper weepiest weepings weigh weighed weirdness welcome wens wetter whacked
wheat wheedle wheeled wheezing whelped whelping whereas whew whimpered whimseys whiny
whippings whirrs whiskies whisky whiskys whistle whitefish whitewash whittler whittlers
whittling whizz whizzed whoever whole whoopee wickedest wide widow widowers wield wields
wifely wiggling wigwam wigwams wildcats wildest wildlife wildly willfully wimpier wimpy
winching windier window windowing windward winks winning winsome wintering wipers wiretap
wiriness wisest wispiest witch witched withdraws withheld withhold wkly woebegone woman
womanlike womble wonted woodbine wooded woods woodworm word wore workfare workout world worry
worship worst worsting wows wraiths wrangled wrangles wrathful wrenched wrenches wrigglers
wrist wristband written wryest xcix xref xxiv xxxi xylophone yaps yawed yawn yeahs yeastiest
yells yelped yest yields yodels yoghourts yogurt yogurts youngster yucking zaniness zapped
zenith zero zippering zippy zombis
""".split()
