"""Static tables that the demo steps of several apps share: places, names, trades, functions,
the sales organisation and the fixed companies. A table that only one app's step reads lives
in that app's ``demo.py``.

Everything here is real or plausible for a supplier of industrial goods that sells into
Germany, Austria and Switzerland: real cities with postcodes and area codes that belong to
them, common surnames and first names per country and language, legal forms as they are
written in company names, and the sales organisation the demo logins belong to.
"""

from __future__ import annotations

from typing import NamedTuple

from innendienst.accounts.models import Role
from innendienst.contacts.models import Authority, BuyingCenterRole, LegalForm

# The tables are laid out by hand for reading; the formatter would put every item on a line.
# fmt: off

# --- sales territories -------------------------------------------------------------------


class TerritorySpec(NamedTuple):
    code: str
    name: str
    parent: str  # code of the parent territory, "" for a country
    country: str


TERRITORIES: tuple[TerritorySpec, ...] = (
    TerritorySpec("DE", "Deutschland", "", "DE"),
    TerritorySpec("DE-BY", "Bayern", "DE", "DE"),
    TerritorySpec("DE-BW", "Baden-Württemberg", "DE", "DE"),
    TerritorySpec("DE-NW", "Nordrhein-Westfalen", "DE", "DE"),
    TerritorySpec("DE-NORD", "Nord", "DE", "DE"),
    TerritorySpec("DE-OST", "Ost", "DE", "DE"),
    TerritorySpec("DE-MITTE", "Mitte", "DE", "DE"),
    TerritorySpec("AT", "Österreich", "", "AT"),
    TerritorySpec("AT-OST", "Österreich Ost", "AT", "AT"),
    TerritorySpec("AT-WEST", "Österreich West", "AT", "AT"),
    TerritorySpec("AT-SUED", "Österreich Süd", "AT", "AT"),
    TerritorySpec("CH", "Schweiz", "", "CH"),
    TerritorySpec("CH-DE", "Deutschschweiz", "CH", "CH"),
    TerritorySpec("CH-FR", "Romandie", "CH", "CH"),
    TerritorySpec("CH-TI", "Tessin", "CH", "CH"),
)

# Share of companies per country: a German supplier sells mostly at home.
COUNTRY_SHARE: dict[str, float] = {"DE": 0.78, "AT": 0.11, "CH": 0.11}

# --- cities ------------------------------------------------------------------------------


class City(NamedTuple):
    name: str
    postcodes: tuple[str, ...]
    area_code: str  # as dialled inside the country, with the trunk zero
    region: str  # territory code
    weight: int  # inhabitants in thousands: bigger places have more companies
    adjective: str  # "Münchner", for names like "Münchner Metallbau"; "" if unusual


# name | area code | region | inhabitants (thousands) | adjective | postcodes; an indented
# line continues the postcodes of the city above.
_CITY_TABLE = """
# Bayern
München                  | 089   | DE-BY    | 1500 | Münchner       | 80331 80333 80335 80336 80337
    80339 80469 80538 80539 80634 80636 80637 80638 80639 80686 80687 80689 80796 80797 80798 80799
    80801 80802 80803 80804 80805 80807 80809 80933 80935 80937 80939 80992 80993 80995 80997 80999
    81241 81243 81245 81247 81249 81369 81371 81373 81375 81377 81379 81475 81476 81477 81479 81539
    81541 81543 81545 81547 81549 81667 81669 81671 81673 81675 81677 81679 81735 81737 81739 81825
    81827 81829 81925 81927 81929
Nürnberg                 | 0911  | DE-BY    |  520 | Nürnberger     | 90402 90403 90408 90411 90419
    90425 90429 90431 90439 90441 90443 90449 90451 90453 90455 90459 90461 90469 90471 90473 90475
    90478 90480 90482 90489 90491
Augsburg                 | 0821  | DE-BY    |  300 | Augsburger     | 86150 86152 86153 86154 86156
    86157 86159 86161 86163 86165 86167 86169 86179
Regensburg               | 0941  | DE-BY    |  155 | Regensburger   | 93047 93049 93051 93053 93055
    93057 93059
Ingolstadt               | 0841  | DE-BY    |  140 | Ingolstädter   | 85049 85051 85053 85055 85057
Würzburg                 | 0931  | DE-BY    |  128 | Würzburger     | 97070 97072 97074 97076 97078
    97080 97082 97084
Fürth                    | 0911  | DE-BY    |  130 | Fürther        | 90762 90763 90765 90766 90768
Erlangen                 | 09131 | DE-BY    |  115 | Erlanger       | 91052 91054 91056 91058
Bamberg                  | 0951  | DE-BY    |   78 | Bamberger      | 96047 96049 96050 96052
Bayreuth                 | 0921  | DE-BY    |   74 |                | 95444 95445 95447 95448
Landshut                 | 0871  | DE-BY    |   74 | Landshuter     | 84028 84030 84032 84034 84036
Aschaffenburg            | 06021 | DE-BY    |   71 |                | 63739 63741 63743
Kempten (Allgäu)         | 0831  | DE-BY    |   70 |                | 87435 87437 87439
Rosenheim                | 08031 | DE-BY    |   64 | Rosenheimer    | 83022 83024 83026
Neu-Ulm                  | 0731  | DE-BY    |   60 |                | 89231 89233
Schweinfurt              | 09721 | DE-BY    |   54 |                | 97421 97422 97424
Passau                   | 0851  | DE-BY    |   53 | Passauer       | 94032 94034 94036
Freising                 | 08161 | DE-BY    |   49 |                | 85354 85356
Straubing                | 09421 | DE-BY    |   48 |                | 94315
Memmingen                | 08331 | DE-BY    |   44 |                | 87700
Kaufbeuren               | 08341 | DE-BY    |   45 |                | 87600
Garching bei München     | 089   | DE-BY    |   19 |                | 85748
Unterschleißheim         | 089   | DE-BY    |   29 |                | 85716
Germering                | 089   | DE-BY    |   41 |                | 82110
Dachau                   | 08131 | DE-BY    |   48 |                | 85221
Erding                   | 08122 | DE-BY    |   37 |                | 85435
Coburg                   | 09561 | DE-BY    |   41 | Coburger       | 96450
Weiden in der Oberpfalz  | 0961  | DE-BY    |   43 |                | 92637
Amberg                   | 09621 | DE-BY    |   42 |                | 92224
Ansbach                  | 0981  | DE-BY    |   42 |                | 91522
# Baden-Württemberg
Stuttgart                | 0711  | DE-BW    |  630 | Stuttgarter    | 70173 70174 70176 70178 70180
    70182 70184 70186 70188 70190 70191 70192 70193 70195 70197 70199 70327 70329 70372 70374 70376
    70435 70437 70439 70469 70499 70563 70565 70567 70569 70597 70599 70619 70629
Karlsruhe                | 0721  | DE-BW    |  308 | Karlsruher     | 76131 76133 76135 76137 76139
    76149 76185 76187 76189 76199 76227 76228 76229
Mannheim                 | 0621  | DE-BW    |  315 | Mannheimer     | 68159 68161 68163 68165 68167
    68169 68199 68219 68229 68239 68259 68305 68307
Freiburg im Breisgau     | 0761  | DE-BW    |  236 | Freiburger     | 79098 79100 79102 79104 79106
    79108 79110 79111 79112 79114 79115 79117
Heidelberg               | 06221 | DE-BW    |  160 | Heidelberger   | 69115 69117 69118 69120 69121
    69123 69124 69126
Ulm                      | 0731  | DE-BW    |  127 | Ulmer          | 89073 89075 89077 89079 89081
Heilbronn                | 07131 | DE-BW    |  128 | Heilbronner    | 74072 74074 74076 74078 74080
Pforzheim                | 07231 | DE-BW    |  126 | Pforzheimer    | 75172 75173 75175 75177 75179
    75180 75181
Reutlingen               | 07121 | DE-BW    |  117 | Reutlinger     | 72760 72762 72764 72766 72768
    72770
Esslingen am Neckar      | 0711  | DE-BW    |   95 | Esslinger      | 73728 73730 73732 73733 73734
Ludwigsburg              | 07141 | DE-BW    |   94 | Ludwigsburger  | 71634 71636 71638 71640
Tübingen                 | 07071 | DE-BW    |   91 | Tübinger       | 72070 72072 72074 72076
Villingen-Schwenningen   | 07721 | DE-BW    |   86 |                | 78048 78050 78052 78054 78056
Konstanz                 | 07531 | DE-BW    |   86 | Konstanzer     | 78462 78464 78465 78467
Aalen                    | 07361 | DE-BW    |   68 |                | 73430 73431 73432 73433 73434
Sindelfingen             | 07031 | DE-BW    |   64 | Sindelfinger   | 71063 71065 71067 71069
Böblingen                | 07031 | DE-BW    |   51 | Böblinger      | 71032 71034
Friedrichshafen          | 07541 | DE-BW    |   61 |                | 88045 88046 88048
Göppingen                | 07161 | DE-BW    |   58 | Göppinger      | 73033 73035 73037
Schwäbisch Gmünd         | 07171 | DE-BW    |   61 |                | 73525 73527 73529
Offenburg                | 0781  | DE-BW    |   60 | Offenburger    | 77652 77654 77656
Ravensburg               | 0751  | DE-BW    |   51 | Ravensburger   | 88212 88213 88214
Tuttlingen               | 07461 | DE-BW    |   36 | Tuttlinger     | 78532
Heidenheim an der Brenz  | 07321 | DE-BW    |   50 |                | 89518 89520 89522
Waiblingen               | 07151 | DE-BW    |   56 |                | 71332 71334 71336
Schwäbisch Hall          | 0791  | DE-BW    |   41 |                | 74523
Balingen                 | 07433 | DE-BW    |   35 |                | 72336
Biberach an der Riß      | 07351 | DE-BW    |   34 |                | 88400
Rastatt                  | 07222 | DE-BW    |   50 | Rastatter      | 76437
Baden-Baden              | 07221 | DE-BW    |   56 |                | 76530 76532 76534
Crailsheim               | 07951 | DE-BW    |   35 |                | 74564
Künzelsau                | 07940 | DE-BW    |   16 |                | 74653
# Nordrhein-Westfalen
Köln                     | 0221  | DE-NW    | 1080 | Kölner         | 50667 50668 50670 50672 50674
    50676 50677 50678 50679 50733 50735 50737 50739 50765 50767 50769 50823 50825 50827 50829 50858
    50859 50931 50933 50935 50937 50939 50968 50969 50996 50997 50999 51061 51063 51065 51067 51069
    51103 51105 51107 51109 51143 51145 51147 51149
Düsseldorf               | 0211  | DE-NW    |  620 | Düsseldorfer   | 40210 40211 40212 40213 40215
    40217 40219 40221 40223 40225 40227 40229 40231 40233 40235 40237 40239 40468 40470 40472 40474
    40476 40477 40479 40489 40545 40547 40549 40589 40591 40593 40595 40597 40599 40625 40627 40629
Dortmund                 | 0231  | DE-NW    |  590 | Dortmunder     | 44135 44137 44139 44141 44143
    44145 44147 44149 44225 44227 44229 44263 44265 44267 44269 44287 44289 44309 44319 44328 44329
    44339 44357 44359 44369 44379
Essen                    | 0201  | DE-NW    |  580 | Essener        | 45127 45128 45130 45131 45133
    45134 45136 45138 45139 45141 45143 45144 45145 45147 45149 45219 45239 45257 45259 45276 45277
    45279 45289 45307 45309 45326
Duisburg                 | 0203  | DE-NW    |  500 | Duisburger     | 47051 47053 47055 47057 47058
    47059 47119 47137 47138 47139 47166 47167 47169 47178 47179 47198 47199 47226 47228 47229 47239
    47249 47259 47269 47279
Bochum                   | 0234  | DE-NW    |  365 | Bochumer       | 44787 44789 44791 44793 44795
    44797 44799 44801 44803 44805 44807 44809 44866
Wuppertal                | 0202  | DE-NW    |  355 | Wuppertaler    | 42103 42105 42107 42109 42111
    42113 42115 42117 42119 42275 42277 42279 42281
Bielefeld                | 0521  | DE-NW    |  335 | Bielefelder    | 33602 33604 33605 33607 33609
    33611 33613 33615 33617 33619 33647 33649 33659
Bonn                     | 0228  | DE-NW    |  330 | Bonner         | 53111 53113 53115 53117 53119
    53121 53123 53125 53127 53129 53173 53175
Münster                  | 0251  | DE-NW    |  317 | Münsteraner    | 48143 48145 48147 48149 48151
    48153 48155 48157 48159 48161 48163
Mönchengladbach          | 02161 | DE-NW    |  262 |                | 41061 41063 41065 41066 41068
    41069 41169 41179 41189 41199
Gelsenkirchen            | 0209  | DE-NW    |  262 |                | 45879 45881 45883 45884 45886
    45888 45889 45891 45892 45894
Aachen                   | 0241  | DE-NW    |  250 | Aachener       | 52062 52064 52066 52068 52070
    52072 52074 52076 52078 52080
Krefeld                  | 02151 | DE-NW    |  228 | Krefelder      | 47798 47799 47800 47802 47803
    47804 47805 47807 47809 47829 47839
Oberhausen               | 0208  | DE-NW    |  209 |                | 46045 46047 46049 46117 46119
    46145 46147 46149
Hagen                    | 02331 | DE-NW    |  189 | Hagener        | 58089 58091 58093 58095 58097
    58099 58119 58135
Hamm                     | 02381 | DE-NW    |  180 |                | 59063 59065 59067 59069 59071
    59073 59075 59077
Mülheim an der Ruhr      | 0208  | DE-NW    |  171 |                | 45468 45470 45472 45473 45475
    45476 45478 45479 45481
Leverkusen               | 0214  | DE-NW    |  164 |                | 51371 51373 51375 51377 51379
    51381
Solingen                 | 0212  | DE-NW    |  160 | Solinger       | 42651 42653 42655 42657 42659
    42697 42699 42719
Paderborn                | 05251 | DE-NW    |  152 | Paderborner    | 33098 33100 33102 33104 33106
Neuss                    | 02131 | DE-NW    |  153 | Neusser        | 41460 41462 41464 41466 41468
    41469 41470 41472
Siegen                   | 0271  | DE-NW    |  101 | Siegener       | 57072 57074 57076 57078 57080
Gütersloh                | 05241 | DE-NW    |  101 | Gütersloher    | 33330 33332 33334 33335
Remscheid                | 02191 | DE-NW    |  111 | Remscheider    | 42853 42855 42857 42859 42897
    42899
Iserlohn                 | 02371 | DE-NW    |   91 | Iserlohner     | 58636 58638 58640 58642 58644
Lüdenscheid              | 02351 | DE-NW    |   71 | Lüdenscheider  | 58507 58509 58511 58513 58515
Minden                   | 0571  | DE-NW    |   81 | Mindener       | 32423 32425 32427 32429
Bocholt                  | 02871 | DE-NW    |   71 | Bocholter      | 46395 46397 46399
Arnsberg                 | 02931 | DE-NW    |   73 |                | 59821 59823
# Nord: Hamburg, Bremen, Schleswig-Holstein, Niedersachsen
Hamburg                  | 040   | DE-NORD  | 1850 | Hamburger      | 20095 20097 20099 20144 20146
    20148 20149 20249 20251 20253 20255 20257 20259 20354 20355 20357 20359 20457 20459 20535 20537
    20539 21029 21031 21033 21035 21073 21075 21077 21079 21107 21109 22041 22043 22045 22047 22049
    22081 22083 22085 22087 22089 22111 22113 22115 22117 22119 22143 22145 22147 22149 22159 22297
    22299 22301 22303 22305 22307 22309 22335 22337 22339 22359 22391 22393 22453 22455 22457 22459
    22523 22525 22527 22529 22547 22549 22559 22587 22589 22605 22607 22609 22761 22763 22765 22767
    22769
Bremen                   | 0421  | DE-NORD  |  570 | Bremer         | 28195 28197 28199 28201 28203
    28205 28207 28209 28211 28213 28215 28217 28219 28237 28239 28259 28277 28279 28307 28309 28325
    28327 28329 28355 28357 28359
Hannover                 | 0511  | DE-NORD  |  545 |                | 30159 30161 30163 30165 30167
    30169 30171 30173 30175 30177 30179 30419 30449 30451 30453 30455 30457 30459 30519 30521 30539
    30559 30625 30627 30629 30655
Braunschweig             | 0531  | DE-NORD  |  250 | Braunschweiger | 38100 38102 38104 38106 38108
    38110 38112 38114 38116 38118 38120 38122
Kiel                     | 0431  | DE-NORD  |  247 | Kieler         | 24103 24105 24106 24107 24109
    24111 24113 24114 24116 24118 24143 24145
Lübeck                   | 0451  | DE-NORD  |  218 | Lübecker       | 23552 23554 23556 23558 23560
    23562 23564 23566 23568 23569 23570
Oldenburg (Oldb)         | 0441  | DE-NORD  |  170 | Oldenburger    | 26121 26122 26123 26125 26127
    26129 26131 26133 26135
Osnabrück                | 0541  | DE-NORD  |  166 | Osnabrücker    | 49074 49076 49078 49080 49082
    49084 49086 49088 49090
Wolfsburg                | 05361 | DE-NORD  |  125 | Wolfsburger    | 38440 38442 38444 38446 38448
Göttingen                | 0551  | DE-NORD  |  118 | Göttinger      | 37073 37075 37077 37079 37081
    37083 37085
Salzgitter               | 05341 | DE-NORD  |  105 |                | 38226 38228 38229 38239 38259
Hildesheim               | 05121 | DE-NORD  |  101 | Hildesheimer   | 31134 31135 31137 31139 31141
Bremerhaven              | 0471  | DE-NORD  |  114 |                | 27568 27570 27572 27574 27576
    27578 27580
Flensburg                | 0461  | DE-NORD  |   92 | Flensburger    | 24937 24939 24941 24943 24944
Neumünster               | 04321 | DE-NORD  |   80 |                | 24534 24536 24537 24539
Norderstedt              | 040   | DE-NORD  |   80 |                | 22844 22846 22848 22850 22851
Lüneburg                 | 04131 | DE-NORD  |   78 | Lüneburger     | 21335 21337 21339
Celle                    | 05141 | DE-NORD  |   70 | Celler         | 29221 29223 29225 29227 29229
Wilhelmshaven            | 04421 | DE-NORD  |   76 |                | 26382 26384 26386 26388 26389
Delmenhorst              | 04221 | DE-NORD  |   78 |                | 27749 27751 27753 27755
Lingen (Ems)             | 0591  | DE-NORD  |   56 |                | 49808 49809 49811
Emden                    | 04921 | DE-NORD  |   50 | Emder          | 26721 26723 26725
Stade                    | 04141 | DE-NORD  |   48 |                | 21680 21682 21683 21684
Cuxhaven                 | 04721 | DE-NORD  |   48 |                | 27472 27474 27476
Papenburg                | 04961 | DE-NORD  |   38 |                | 26871
# Ost: Berlin, Brandenburg, Sachsen, Sachsen-Anhalt, Thüringen, Mecklenburg-Vorpommern
Berlin                   | 030   | DE-OST   | 3650 | Berliner       | 10115 10117 10119 10178 10179
    10243 10245 10247 10249 10315 10317 10318 10319 10365 10367 10369 10405 10407 10409 10435 10437
    10439 10551 10553 10555 10557 10559 10585 10587 10589 10623 10625 10627 10629 10707 10709 10711
    10713 10715 10717 10719 10777 10779 10781 10783 10785 10787 10789 10823 10825 10827 10829 10961
    10963 10965 10967 10969 10997 10999 12043 12045 12047 12049 12051 12053 12099 12101 12103 12105
    12107 12109 12157 12159 12161 12163 12165 12167 12169 12203 12205 12207 12209 12247 12249 12277
    12279 12305 12307 12309 12347 12349 12435 12437 12439 12459 12487 12489 12524 12526 12527 12555
    12557 12559 12587 12619 12621 12623 12627 12629 12679 12681 12683 12685 12687 12689 13051 13053
    13086 13088 13089 13125 13127 13129 13156 13158 13159 13187 13189 13347 13349 13403 13405 13407
    13409 13435 13437 13439 13465 13467 13469 13503 13505 13507 13581 13583 13585 13587 13589 13591
    13593 13595 13597 13599 13627 13629 14050 14052 14053 14055 14057 14059 14089 14109 14129 14163
    14165 14167 14169 14193
Leipzig                  | 0341  | DE-OST   |  600 | Leipziger      | 04103 04105 04107 04109 04155
    04157 04158 04159 04177 04178 04179 04205 04207 04209 04229 04249 04275 04277 04279 04289 04299
    04315 04316 04317 04318 04319 04328 04329 04347 04349 04356 04357
Dresden                  | 0351  | DE-OST   |  556 | Dresdner       | 01067 01069 01097 01099 01108
    01109 01127 01129 01139 01156 01157 01159 01169 01187 01189 01217 01219 01237 01239 01257 01259
    01277 01279 01307 01309 01324
Chemnitz                 | 0371  | DE-OST   |  244 | Chemnitzer     | 09111 09112 09113 09114 09116
    09117 09119 09120 09122 09123 09125 09126 09127 09128 09130 09131
Halle (Saale)            | 0345  | DE-OST   |  238 |                | 06108 06110 06112 06114 06116
    06118 06120 06122 06124 06126 06128 06130 06132
Magdeburg                | 0391  | DE-OST   |  237 | Magdeburger    | 39104 39106 39108 39110 39112
    39114 39116 39118 39120 39122 39124 39126 39128 39130
Erfurt                   | 0361  | DE-OST   |  214 | Erfurter       | 99084 99085 99086 99087 99089
    99091 99092 99094 99096 99097 99098 99099
Rostock                  | 0381  | DE-OST   |  209 | Rostocker      | 18055 18057 18059 18069 18106
    18107 18109 18119 18146 18147
Potsdam                  | 0331  | DE-OST   |  183 | Potsdamer      | 14467 14469 14471 14473 14476
    14478 14480 14482
Jena                     | 03641 | DE-OST   |  110 | Jenaer         | 07743 07745 07747 07749 07751
Zwickau                  | 0375  | DE-OST   |   87 | Zwickauer      | 08056 08058 08060 08062 08064
    08066
Cottbus                  | 0355  | DE-OST   |   99 | Cottbuser      | 03042 03044 03046 03048 03050
    03051 03052 03053 03054 03055
Schwerin                 | 0385  | DE-OST   |   96 | Schweriner     | 19053 19055 19057 19059 19061
    19063
Gera                     | 0365  | DE-OST   |   93 | Geraer         | 07545 07546 07548 07549 07551
    07552 07554 07557
Dessau-Roßlau            | 0340  | DE-OST   |   75 |                | 06842 06844 06846 06847 06849
Plauen                   | 03741 | DE-OST   |   64 | Plauener       | 08523 08525 08527 08529
Weimar                   | 03643 | DE-OST   |   65 | Weimarer       | 99423 99425 99427 99428
Greifswald               | 03834 | DE-OST   |   60 | Greifswalder   | 17489 17491 17493
Frankfurt (Oder)         | 0335  | DE-OST   |   57 |                | 15230 15232 15234 15236
Brandenburg an der Havel | 03381 | DE-OST   |   73 |                | 14770 14772 14774 14776
Görlitz                  | 03581 | DE-OST   |   56 | Görlitzer      | 02826 02827 02828
Neubrandenburg           | 0395  | DE-OST   |   63 |                | 17033 17034 17036
Suhl                     | 03681 | DE-OST   |   37 | Suhler         | 98527 98528 98529
Eisenach                 | 03691 | DE-OST   |   42 | Eisenacher     | 99817 99819
Freiberg                 | 03731 | DE-OST   |   41 | Freiberger     | 09599
Wismar                   | 03841 | DE-OST   |   43 | Wismarer       | 23966 23968 23970
Stralsund                | 03831 | DE-OST   |   59 | Stralsunder    | 18435 18437 18439
# Mitte: Hessen, Rheinland-Pfalz, Saarland
Frankfurt am Main        | 069   | DE-MITTE |  760 | Frankfurter    | 60306 60308 60310 60311 60313
    60314 60316 60318 60320 60322 60323 60325 60326 60327 60329 60385 60386 60388 60389 60431 60433
    60435 60437 60438 60439 60486 60487 60488 60489 60528 60529 60549 60594 60596 60598 60599 65929
    65931 65933
Wiesbaden                | 0611  | DE-MITTE |  278 | Wiesbadener    | 65183 65185 65187 65189 65191
    65193 65195 65197 65199 65201 65203 65205
Mainz                    | 06131 | DE-MITTE |  220 | Mainzer        | 55116 55118 55120 55122 55124
    55126 55127 55128 55129 55130 55131
Kassel                   | 0561  | DE-MITTE |  200 | Kasseler       | 34117 34119 34121 34123 34125
    34127 34128 34130 34131 34132 34134
Darmstadt                | 06151 | DE-MITTE |  160 | Darmstädter    | 64283 64285 64287 64289 64291
    64293 64295 64297
Saarbrücken              | 0681  | DE-MITTE |  180 | Saarbrücker    | 66111 66113 66115 66117 66119
    66121 66123 66125 66126 66127 66128 66129 66130 66131 66132 66133
Ludwigshafen am Rhein    | 0621  | DE-MITTE |  172 | Ludwigshafener | 67059 67061 67063 67065 67067
    67069 67071
Koblenz                  | 0261  | DE-MITTE |  114 | Koblenzer      | 56068 56070 56072 56073 56075
    56076 56077
Offenbach am Main        | 069   | DE-MITTE |  131 | Offenbacher    | 63065 63067 63069 63071 63073
    63075
Trier                    | 0651  | DE-MITTE |  111 | Trierer        | 54290 54292 54293 54294 54295
    54296
Kaiserslautern           | 0631  | DE-MITTE |  100 |                | 67655 67657 67659 67661 67663
Hanau                    | 06181 | DE-MITTE |  101 | Hanauer        | 63450 63452 63454 63456 63457
Gießen                   | 0641  | DE-MITTE |   92 | Gießener       | 35390 35392 35394 35396 35398
Marburg                  | 06421 | DE-MITTE |   77 | Marburger      | 35037 35039 35041 35043
Fulda                    | 0661  | DE-MITTE |   69 | Fuldaer        | 36037 36039 36041 36043
Worms                    | 06241 | DE-MITTE |   84 | Wormser        | 67547 67549 67550 67551
Neunkirchen (Saar)       | 06821 | DE-MITTE |   46 |                | 66538 66539 66540
Rüsselsheim am Main      | 06142 | DE-MITTE |   66 |                | 65428
Wetzlar                  | 06441 | DE-MITTE |   53 | Wetzlarer      | 35576 35578 35579 35580 35581
    35582 35583 35584 35585 35586
Bad Homburg vor der Höhe | 06172 | DE-MITTE |   54 |                | 61348 61350 61352
Homburg                  | 06841 | DE-MITTE |   42 |                | 66424
Pirmasens                | 06331 | DE-MITTE |   40 | Pirmasenser    | 66953 66954 66955
Limburg an der Lahn      | 06431 | DE-MITTE |   36 |                | 65549 65550 65551 65552 65553
    65554 65555 65556
Neuwied                  | 02631 | DE-MITTE |   65 | Neuwieder      | 56564 56566 56567
Speyer                   | 06232 | DE-MITTE |   50 | Speyerer       | 67346
Landau in der Pfalz      | 06341 | DE-MITTE |   47 |                | 76829
Völklingen               | 06898 | DE-MITTE |   39 |                | 66333
Bad Kreuznach            | 0671  | DE-MITTE |   51 |                | 55543 55545
# Österreich Ost: Wien, Niederösterreich, Burgenland
Wien                     | 01    | AT-OST   | 1980 | Wiener         | 1010 1020 1030 1040 1050 1060
    1070 1080 1090 1100 1110 1120 1130 1140 1150 1160 1170 1180 1190 1200 1210 1220 1230
St. Pölten               | 02742 | AT-OST   |   56 |                | 3100
Wiener Neustadt          | 02622 | AT-OST   |   47 |                | 2700
Klosterneuburg           | 02243 | AT-OST   |   28 |                | 3400
Baden                    | 02252 | AT-OST   |   26 | Badener        | 2500
Krems an der Donau       | 02732 | AT-OST   |   25 | Kremser        | 3500
Amstetten                | 07472 | AT-OST   |   24 | Amstettner     | 3300
Mödling                  | 02236 | AT-OST   |   21 | Mödlinger      | 2340
Wiener Neudorf           | 02236 | AT-OST   |    9 |                | 2351
Schwechat                | 01    | AT-OST   |   20 | Schwechater    | 2320
Tulln an der Donau       | 02272 | AT-OST   |   17 |                | 3430
Eisenstadt               | 02682 | AT-OST   |   15 | Eisenstädter   | 7000
Neusiedl am See          | 02167 | AT-OST   |    9 |                | 7100
Oberwart                 | 03352 | AT-OST   |    8 |                | 7400
Mistelbach               | 02572 | AT-OST   |   12 |                | 2130
# Österreich West: Oberösterreich, Salzburg, Tirol, Vorarlberg
Linz                     | 0732  | AT-WEST  |  210 | Linzer         | 4020 4030 4040
Salzburg                 | 0662  | AT-WEST  |  157 | Salzburger     | 5020 5023 5026
Innsbruck                | 0512  | AT-WEST  |  131 | Innsbrucker    | 6020
Wels                     | 07242 | AT-WEST  |   63 | Welser         | 4600
Steyr                    | 07252 | AT-WEST  |   38 | Steyrer        | 4400
Leonding                 | 0732  | AT-WEST  |   29 |                | 4060
Dornbirn                 | 05572 | AT-WEST  |   50 | Dornbirner     | 6850
Feldkirch                | 05522 | AT-WEST  |   35 | Feldkircher    | 6800
Bregenz                  | 05574 | AT-WEST  |   30 | Bregenzer      | 6900
Traun                    | 07229 | AT-WEST  |   25 |                | 4050
Hallein                  | 06245 | AT-WEST  |   21 | Halleiner      | 5400
Kufstein                 | 05372 | AT-WEST  |   20 | Kufsteiner     | 6330
Vöcklabruck              | 07672 | AT-WEST  |   12 |                | 4840
Braunau am Inn           | 07722 | AT-WEST  |   17 |                | 5280
Ried im Innkreis         | 07752 | AT-WEST  |   12 |                | 4910
Schwaz                   | 05242 | AT-WEST  |   14 |                | 6130
Wörgl                    | 05332 | AT-WEST  |   14 |                | 6300
Lustenau                 | 05577 | AT-WEST  |   24 |                | 6890
Hohenems                 | 05576 | AT-WEST  |   17 |                | 6845
Gmunden                  | 07612 | AT-WEST  |   13 | Gmundner       | 4810
# Österreich Süd: Steiermark, Kärnten
Graz                     | 0316  | AT-SUED  |  295 | Grazer         | 8010 8020 8036 8041 8042 8043
    8044 8045 8051 8052 8053 8054 8055
Klagenfurt am Wörthersee | 0463  | AT-SUED  |  102 | Klagenfurter   | 9020
Villach                  | 04242 | AT-SUED  |   64 | Villacher      | 9500
Leoben                   | 03842 | AT-SUED  |   25 | Leobener       | 8700
Kapfenberg               | 03862 | AT-SUED  |   22 | Kapfenberger   | 8605
Wolfsberg                | 04352 | AT-SUED  |   25 |                | 9400
Spittal an der Drau      | 04762 | AT-SUED  |   15 |                | 9800
Feldbach                 | 03152 | AT-SUED  |   13 |                | 8330
Weiz                     | 03172 | AT-SUED  |   12 | Weizer         | 8160
Bruck an der Mur         | 03862 | AT-SUED  |   16 |                | 8600
Judenburg                | 03572 | AT-SUED  |   10 |                | 8750
St. Veit an der Glan     | 04212 | AT-SUED  |   12 |                | 9300
Leibnitz                 | 03452 | AT-SUED  |   13 |                | 8430
# Deutschschweiz
Zürich                   | 044   | CH-DE    |  420 | Zürcher        | 8001 8002 8003 8004 8005 8006
    8008 8032 8037 8038 8041 8044 8045 8046 8047 8048 8049 8050 8051 8052 8053 8055 8057
Basel                    | 061   | CH-DE    |  175 | Basler         | 4051 4052 4053 4054 4055 4056
    4057 4058 4059
Bern                     | 031   | CH-DE    |  140 | Berner         | 3004 3005 3006 3007 3008 3010
    3011 3012 3013 3014 3015 3018 3027
Winterthur               | 052   | CH-DE    |  117 | Winterthurer   | 8400 8401 8404 8405 8406 8408
    8409
Luzern                   | 041   | CH-DE    |   83 | Luzerner       | 6003 6004 6005 6006
St. Gallen               | 071   | CH-DE    |   76 | St. Galler     | 9000 9008 9010 9011 9012 9014
    9016
Biel/Bienne              | 032   | CH-DE    |   55 | Bieler         | 2502 2503 2504 2505
Thun                     | 033   | CH-DE    |   44 | Thuner         | 3600 3604 3608
Köniz                    | 031   | CH-DE    |   42 |                | 3098
Schaffhausen             | 052   | CH-DE    |   37 | Schaffhauser   | 8200
Chur                     | 081   | CH-DE    |   37 | Churer         | 7000
Uster                    | 044   | CH-DE    |   36 |                | 8610
Zug                      | 041   | CH-DE    |   31 | Zuger          | 6300
Aarau                    | 062   | CH-DE    |   22 | Aarauer        | 5000
Baden                    | 056   | CH-DE    |   20 | Badener        | 5400
Olten                    | 062   | CH-DE    |   19 | Oltner         | 4600
Solothurn                | 032   | CH-DE    |   17 | Solothurner    | 4500
Dübendorf                | 044   | CH-DE    |   30 |                | 8600
Dietikon                 | 044   | CH-DE    |   28 |                | 8953
Wil                      | 071   | CH-DE    |   24 | Wiler          | 9500
Frauenfeld               | 052   | CH-DE    |   26 | Frauenfelder   | 8500
Kriens                   | 041   | CH-DE    |   28 |                | 6010
Rapperswil-Jona          | 055   | CH-DE    |   27 |                | 8640
Wetzikon                 | 044   | CH-DE    |   25 |                | 8620
Emmen                    | 041   | CH-DE    |   31 |                | 6020
Langenthal               | 062   | CH-DE    |   16 | Langenthaler   | 4900
Burgdorf                 | 034   | CH-DE    |   16 | Burgdorfer     | 3400
# Romandie
Genève                   | 022   | CH-FR    |  203 |                | 1201 1202 1203 1204 1205 1206
    1207 1208 1209
Lausanne                 | 021   | CH-FR    |  140 |                | 1003 1004 1005 1006 1007 1010
    1012 1018
Fribourg                 | 026   | CH-FR    |   38 |                | 1700
Neuchâtel                | 032   | CH-FR    |   45 |                | 2000
La Chaux-de-Fonds        | 032   | CH-FR    |   37 |                | 2300
Sion                     | 027   | CH-FR    |   35 |                | 1950
Yverdon-les-Bains        | 024   | CH-FR    |   30 |                | 1400
Montreux                 | 021   | CH-FR    |   26 |                | 1820
Vevey                    | 021   | CH-FR    |   20 |                | 1800
Nyon                     | 022   | CH-FR    |   22 |                | 1260
Renens                   | 021   | CH-FR    |   21 |                | 1020
Morges                   | 021   | CH-FR    |   16 |                | 1110
Delémont                 | 032   | CH-FR    |   13 |                | 2800
# Tessin
Lugano                   | 091   | CH-TI    |   63 |                | 6900
Bellinzona               | 091   | CH-TI    |   44 |                | 6500
Locarno                  | 091   | CH-TI    |   16 |                | 6600
Mendrisio                | 091   | CH-TI    |   15 |                | 6850
Chiasso                  | 091   | CH-TI    |    8 |                | 6830
"""


def _parse_cities(table: str) -> tuple[City, ...]:
    rows: list[list[str]] = []
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0].isspace():
            rows[-1][-1] += " " + line.strip()
        else:
            rows.append([cell.strip() for cell in line.split("|")])
    return tuple(
        City(name, tuple(postcodes.split()), area, region, int(weight), adjective)
        for name, area, region, weight, adjective, postcodes in rows
    )


CITIES: tuple[City, ...] = _parse_cities(_CITY_TABLE)

# Invariant place adjectives per region, for names like "Allgäuer Kunststofftechnik".
REGION_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "DE-BY": ("Allgäuer", "Chiemgauer", "Oberpfälzer", "Altmühltaler", "Isartaler",
              "Frankenwälder"),
    "DE-BW": ("Schwarzwälder", "Hohenloher", "Kraichgauer", "Odenwälder", "Remstäler",
              "Bodensee"),
    "DE-NW": ("Sauerländer", "Siegerländer", "Münsterländer", "Niederrheiner", "Lipper",
              "Eifeler"),
    "DE-NORD": ("Emsländer", "Ammerländer", "Holsteiner", "Harzer", "Friesländer"),
    "DE-OST": ("Lausitzer", "Vogtländer", "Thüringer", "Eichsfelder", "Altmärker",
               "Spreewälder"),
    "DE-MITTE": ("Westerwälder", "Pfälzer", "Hunsrücker", "Vogelsberger", "Rheingauer",
                 "Wetterauer"),
    "AT-OST": ("Waldviertler", "Weinviertler", "Marchfelder", "Mostviertler", "Burgenländer"),
    "AT-WEST": ("Tiroler", "Vorarlberger", "Mühlviertler", "Innviertler", "Zillertaler",
                "Pinzgauer"),
    "AT-SUED": ("Murtaler", "Lavanttaler", "Gailtaler", "Kärntner", "Ennstaler", "Mürztaler"),
    "CH-DE": ("Aargauer", "Thurgauer", "Toggenburger", "Emmentaler", "Bündner", "Oberländer"),
}

# --- streets ----------------------------------------------------------------------------

STREETS: dict[str, tuple[str, ...]] = {
    "DE": (
        "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Gewerbering",
        "Am Gewerbepark", "Siemensstraße", "Robert-Bosch-Straße", "Daimlerstraße",
        "Carl-Benz-Straße", "Max-Planck-Straße", "Otto-Hahn-Straße", "Rudolf-Diesel-Straße",
        "Werner-von-Siemens-Straße", "Dieselstraße", "Benzstraße", "Im Gewerbegebiet",
        "Industriering", "Raiffeisenstraße", "Gutenbergstraße", "Lilienthalstraße",
        "Einsteinstraße", "Carl-Zeiss-Straße", "Heinrich-Hertz-Straße", "Zeppelinstraße",
        "Boschstraße", "Röntgenstraße", "Ferdinand-Porsche-Straße", "Justus-von-Liebig-Straße",
        "Werkstraße", "Fabrikstraße", "Hafenstraße", "Am Hafen", "Mühlenweg", "Schillerstraße",
        "Goethestraße", "Lindenstraße", "Gartenstraße", "Friedrichstraße", "Kirchstraße",
        "Ringstraße", "Feldstraße", "Waldstraße", "Bergstraße", "Alte Landstraße",
        "Im Technologiepark", "An der Autobahn", "Kruppstraße", "Borsigstraße", "Junkersstraße",
    ),
    "AT": (
        "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Gewerbepark",
        "Industriezeile", "Wiener Straße", "Linzer Straße", "Grazer Straße", "Salzburger Straße",
        "Kirchengasse", "Schulgasse", "Mühlgasse", "Dr.-Karl-Renner-Straße", "Industriepark",
        "Gewerbegebiet Süd", "Bahnhofplatz", "Fabrikstraße", "Betriebsstraße",
        "Lagerhausstraße", "Römerstraße", "Am Wirtschaftspark", "Bundesstraße", "Feldgasse",
    ),
    "CH-DE": (
        "Bahnhofstrasse", "Hauptstrasse", "Industriestrasse", "Gewerbestrasse", "Dorfstrasse",
        "Kirchstrasse", "Seestrasse", "Zürcherstrasse", "Bernstrasse", "Poststrasse",
        "Schulstrasse", "Werkstrasse", "Riedstrasse", "Allmendstrasse", "Feldstrasse",
        "Oberdorfstrasse", "Industrie Nord", "Gewerbezone", "Fabrikstrasse",
        "Bodenackerstrasse",
    ),
    "CH-FR": (
        "Rue de la Gare", "Rue du Centre", "Route de Lausanne", "Avenue de la Gare",
        "Chemin des Artisans", "Rue de l'Industrie", "Route de Genève", "Zone industrielle",
        "Rue du Lac", "Chemin du Moulin", "Avenue des Sports", "Route Cantonale",
        "Rue des Moulins", "Chemin de la Scierie", "Rue du Collège",
    ),
    "CH-TI": (
        "Via Cantonale", "Via Industria", "Via San Gottardo", "Via Lugano", "Via della Posta",
        "Via ai Mulini", "Via Stazione", "Via Vedeggio", "Via Pian Scairolo", "Via Serta",
    ),
}

# --- people --------------------------------------------------------------------------------

# Surnames in rough frequency order per locale; the order decides the weights.
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "de-DE": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
        "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
        "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
        "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn",
        "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler",
        "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
        "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein",
        "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber",
        "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn",
        "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
        "Hansen", "Petersen", "Janssen", "Wimmer", "Hofbauer", "Brunner", "Steiner", "Hausmann",
    ),
    "de-AT": (
        "Gruber", "Huber", "Wagner", "Müller", "Pichler", "Steiner", "Moser", "Mayer", "Hofer",
        "Leitner", "Berger", "Fuchs", "Eder", "Fischer", "Schmid", "Winkler", "Weber",
        "Schwarz", "Maier", "Schneider", "Reiter", "Mayr", "Schmidt", "Wimmer", "Egger",
        "Brunner", "Lang", "Baumgartner", "Auer", "Binder", "Lechner", "Wolf", "Wallner",
        "Aigner", "Ebner", "Koller", "Lehner", "Haas", "Schuster", "Holzer", "Strasser",
        "Posch", "Kaiser", "Stadler", "Hofbauer", "Riegler", "Kofler", "Unger", "Böhm",
    ),
    "de-CH": (
        "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Meyer", "Schneider",
        "Steiner", "Fischer", "Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser",
        "Widmer", "Wyss", "Graf", "Roth", "Suter", "Baumgartner", "Bachmann", "Studer",
        "Bühler", "Kaufmann", "Hofmann", "Berger", "Lüthi", "Marti", "Kälin", "Zürcher",
        "Egli", "Bösch", "Ammann", "Hug", "Sutter", "Gisler", "Odermatt", "Bucher",
    ),
    "fr-CH": (
        "Favre", "Rochat", "Bonvin", "Berset", "Blanc", "Martin", "Dubois", "Morel", "Perret",
        "Rey", "Chevalley", "Jaquet", "Monnier", "Cuendet", "Pittet", "Gay", "Rossier",
        "Fragnière", "Crettenand", "Jaccard", "Dufour", "Vuilleumier", "Mottier", "Girard",
    ),
    "it-CH": (
        "Bernasconi", "Fontana", "Rossi", "Ferrari", "Bianchi", "Galli", "Colombo",
        "Pedrazzini", "Lepori", "Crivelli", "Cattaneo", "Bernardoni", "Guidotti", "Ghisletta",
        "Gianini", "Rusconi", "Camponovo", "Moretti",
    ),
}

# First names of people who work in B2B today (born roughly 1960–2000), per locale.
FIRST_NAMES_MALE: dict[str, tuple[str, ...]] = {
    "de-DE": (
        "Michael", "Thomas", "Andreas", "Stefan", "Frank", "Markus", "Christian", "Martin",
        "Peter", "Jürgen", "Klaus", "Uwe", "Matthias", "Alexander", "Sebastian", "Tobias",
        "Daniel", "Florian", "Jan", "Dirk", "Ralf", "Oliver", "Sven", "Jens", "Torsten",
        "Holger", "Wolfgang", "Bernd", "Jörg", "Marco", "Dennis", "Patrick", "Philipp", "Lukas",
        "Maximilian", "Felix", "Johannes", "Simon", "Tim", "Benjamin", "Hans-Peter",
        "Karl-Heinz",
    ),
    "de-AT": (
        "Thomas", "Michael", "Andreas", "Christian", "Markus", "Wolfgang", "Gerhard", "Johann",
        "Josef", "Franz", "Günter", "Helmut", "Christoph", "Manfred", "Harald", "Herbert",
        "Bernhard", "Gernot", "Stefan", "Martin", "Daniel", "Lukas", "Florian", "Georg",
    ),
    "de-CH": (
        "Daniel", "Peter", "Thomas", "Martin", "Hans", "Christian", "Markus", "Andreas",
        "Marco", "Stefan", "Beat", "Urs", "Reto", "Roger", "Patrick", "Adrian", "Lukas",
        "Simon", "Matthias", "Roland", "Bruno", "Rolf", "René", "Samuel",
    ),
    "fr-CH": (
        "Jean", "Pierre", "Philippe", "Michel", "Nicolas", "Olivier", "Laurent", "Christophe",
        "Alain", "Patrick", "Julien", "Sébastien", "Yves", "Stéphane", "David", "Frédéric",
    ),
    "it-CH": (
        "Marco", "Luca", "Paolo", "Giovanni", "Roberto", "Stefano", "Claudio", "Fabio",
        "Davide", "Massimo", "Mattia", "Alessandro",
    ),
}
FIRST_NAMES_FEMALE: dict[str, tuple[str, ...]] = {
    "de-DE": (
        "Sabine", "Petra", "Claudia", "Andrea", "Susanne", "Nicole", "Stefanie", "Julia",
        "Katrin", "Melanie", "Birgit", "Anja", "Sandra", "Christina", "Martina", "Monika",
        "Tanja", "Kerstin", "Heike", "Silke", "Jana", "Anna", "Laura", "Lisa", "Sarah",
        "Katharina", "Daniela", "Simone", "Manuela", "Carina", "Lena", "Franziska", "Verena",
        "Barbara", "Karin", "Ute", "Jessica", "Janina", "Vanessa", "Anne-Kathrin",
    ),
    "de-AT": (
        "Elisabeth", "Maria", "Brigitte", "Gabriele", "Karin", "Birgit", "Eva", "Christa",
        "Theresa", "Magdalena", "Andrea", "Claudia", "Sabine", "Martina", "Barbara", "Julia",
        "Katharina", "Daniela", "Sandra", "Verena",
    ),
    "de-CH": (
        "Maria", "Sandra", "Ursula", "Ruth", "Daniela", "Monika", "Nicole", "Barbara",
        "Regula", "Esther", "Andrea", "Brigitte", "Corinne", "Karin", "Silvia", "Claudia",
        "Franziska", "Sarah", "Nadine", "Priska",
    ),
    "fr-CH": (
        "Marie", "Nathalie", "Sandrine", "Isabelle", "Catherine", "Sophie", "Christine",
        "Valérie", "Céline", "Anne", "Sylvie", "Laurence",
    ),
    "it-CH": (
        "Maria", "Francesca", "Laura", "Elena", "Chiara", "Sara", "Paola", "Silvia", "Giulia",
        "Monica",
    ),
}


class FunctionSpec(NamedTuple):
    """A job at a customer and what it means for selling there."""

    male: str
    female: str
    department: str
    authority: str
    roles: tuple[str, ...]  # buying-center roles; the first always, the second sometimes
    kind: str  # "management", "owner", "purchasing", "technical", "assistant" or "other"
    weight: int  # how often the job is among the known contacts; 0: only as the decider


_A, _R = Authority, BuyingCenterRole
FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec("Geschäftsführer", "Geschäftsführerin", "Geschäftsführung", _A.FULL,
                 (_R.DECIDER,), "management", 0),
    FunctionSpec("Inhaber", "Inhaberin", "Geschäftsführung", _A.FULL, (_R.DECIDER,), "owner", 0),
    FunctionSpec("Kaufmännischer Leiter", "Kaufmännische Leiterin", "Verwaltung", _A.SIGNATORY,
                 (_R.DECIDER,), "management", 0),
    FunctionSpec("Einkaufsleiter", "Einkaufsleiterin", "Einkauf", _A.UP_TO_LIMIT,
                 (_R.BUYER,), "purchasing", 10),
    FunctionSpec("Strategischer Einkäufer", "Strategische Einkäuferin", "Einkauf",
                 _A.UP_TO_LIMIT, (_R.BUYER, _R.EVALUATOR), "purchasing", 4),
    FunctionSpec("Sachbearbeiter Einkauf", "Sachbearbeiterin Einkauf", "Einkauf",
                 _A.UP_TO_LIMIT, (_R.BUYER,), "purchasing", 9),
    FunctionSpec("Technischer Leiter", "Technische Leiterin", "Technik", _A.RECOMMENDS,
                 (_R.INFLUENCER, _R.EVALUATOR), "technical", 6),
    FunctionSpec("Leiter Instandhaltung", "Leiterin Instandhaltung", "Instandhaltung",
                 _A.RECOMMENDS, (_R.USER, _R.INITIATOR), "technical", 7),
    FunctionSpec("Produktionsleiter", "Produktionsleiterin", "Produktion", _A.RECOMMENDS,
                 (_R.USER, _R.INFLUENCER), "technical", 6),
    FunctionSpec("Leiter Konstruktion", "Leiterin Konstruktion", "Konstruktion", _A.RECOMMENDS,
                 (_R.EVALUATOR, _R.INFLUENCER), "technical", 3),
    FunctionSpec("Qualitätsmanager", "Qualitätsmanagerin", "Qualitätssicherung", _A.RECOMMENDS,
                 (_R.EVALUATOR,), "technical", 3),
    FunctionSpec("Werkstattmeister", "Werkstattmeisterin", "Produktion", _A.NONE,
                 (_R.USER,), "technical", 4),
    FunctionSpec("Fachkraft für Arbeitssicherheit", "Fachkraft für Arbeitssicherheit",
                 "Arbeitssicherheit", _A.RECOMMENDS, (_R.INFLUENCER,), "technical", 2),
    FunctionSpec("Lagerleiter", "Lagerleiterin", "Logistik", _A.NONE, (_R.USER,), "other", 3),
    FunctionSpec("Assistenz der Geschäftsleitung", "Assistenz der Geschäftsleitung",
                 "Geschäftsführung", _A.NONE, (_R.GATEKEEPER,), "assistant", 6),
    FunctionSpec("Mitarbeiter Empfang", "Mitarbeiterin Empfang", "Zentrale", _A.NONE,
                 (_R.GATEKEEPER,), "assistant", 3),
    FunctionSpec("Buchhalter", "Buchhalterin", "Finanzbuchhaltung", _A.NONE, (), "other", 2),
)

BEST_TIMES_TO_REACH: tuple[str, ...] = (
    "vormittags", "vormittags bis 11 Uhr", "nachmittags ab 14 Uhr", "Di–Do",
    "nicht freitags", "Mo–Do 8–12 Uhr", "am besten per E-Mail", "nach 15 Uhr",
)
KEY_CRITERIA: dict[str, tuple[str, ...]] = {
    "purchasing": ("Preis, Liefertreue", "Rahmenpreise, Sammelrechnung", "Preis, Zahlungsziel",
                   "Liefertreue, kurze Reaktionszeit", "Verfügbarkeit ab Lager"),
    "technical": ("Qualität, Anwendungsberatung", "Standzeit der Werkzeuge",
                  "Ersatzteilverfügbarkeit", "Normgerechte Dokumentation",
                  "Schnelle Lieferung"),
}

# --- companies ------------------------------------------------------------------------------


class IndustrySpec(NamedTuple):
    code: str
    name: str
    trades_de: tuple[str, ...]  # after a surname: "Müller Maschinenbau"
    prefixes_de: tuple[str, ...]  # before a surname: "Metallbau Keller"
    trades_fr: tuple[str, ...]
    trades_it: tuple[str, ...]
    revenue_per_employee: int  # EUR, for a plausible annual revenue
    product_groups: tuple[str, ...]  # what they buy from us, most important first
    weight: int


INDUSTRIES: tuple[IndustrySpec, ...] = (
    IndustrySpec(
        "MB", "Maschinenbau",
        ("Maschinenbau", "Anlagenbau", "Sondermaschinenbau", "Automatisierungstechnik",
         "Fördertechnik", "Antriebstechnik"),
        ("Maschinenbau", "Maschinenfabrik"),
        ("Mécanique", "Machines", "Automation"), ("Meccanica", "Macchine"),
        180_000, ("ZER", "BEF", "PNE", "ANT", "HYD", "DIC"), 16),
    IndustrySpec(
        "MV", "Metallverarbeitung",
        ("Metallbau", "Metalltechnik", "Stahlbau", "Blechbearbeitung", "Präzisionsteile",
         "Drehteile", "CNC-Technik", "Oberflächentechnik", "Schweißtechnik"),
        ("Metallbau", "Stahlbau", "Blechtechnik"),
        ("Constructions métalliques", "Décolletage", "Mécanique de précision"),
        ("Costruzioni metalliche", "Carpenteria metallica"),
        150_000, ("ZER", "BEF", "ASS", "SCH", "HWZ"), 14),
    IndustrySpec(
        "ET", "Elektrotechnik",
        ("Elektrotechnik", "Schaltanlagenbau", "Steuerungstechnik", "Elektronik",
         "Elektroanlagen"),
        ("Elektro", "Elektrotechnik"),
        ("Électricité", "Électrotechnique"), ("Elettrotecnica", "Impianti elettrici"),
        190_000, ("ELT", "BEF", "HWZ", "ASS"), 9),
    IndustrySpec(
        "KT", "Kunststofftechnik",
        ("Kunststofftechnik", "Kunststoffverarbeitung", "Spritzguss", "Kunststoffe",
         "Formenbau"),
        ("Kunststofftechnik",),
        ("Plastiques", "Injection plastique"), ("Materie plastiche",),
        170_000, ("ZER", "PNE", "HYD", "SCH", "DIC"), 6),
    IndustrySpec(
        "LM", "Lebensmittelindustrie",
        ("Feinkost", "Backwaren", "Fleischwaren", "Molkerei", "Getränke", "Nahrungsmittel",
         "Teigwaren"),
        ("Bäckerei", "Molkerei", "Brauerei"),
        ("Alimentation", "Boulangerie industrielle"), ("Alimentari", "Prodotti alimentari"),
        250_000, ("ASS", "SCH", "DIC", "PNE", "SRV"), 6),
    IndustrySpec(
        "CH", "Chemie",
        ("Chemie", "Lacke und Farben", "Klebstoffe", "Chemische Werke", "Reinigungstechnik"),
        ("Chemiewerk",),
        ("Chimie", "Produits chimiques"), ("Chimica",),
        350_000, ("ASS", "DIC", "HYD", "SCH", "BET"), 4),
    IndustrySpec(
        "BAU", "Bauwesen",
        ("Bau", "Bauunternehmung", "Hoch- und Tiefbau", "Tiefbau", "Haustechnik",
         "Dachtechnik"),
        ("Bauunternehmung", "Bau"),
        ("Construction", "Génie civil"), ("Costruzioni", "Edilizia"),
        110_000, ("BEF", "ASS", "HWZ", "BET", "ELT"), 11),
    IndustrySpec(
        "LOG", "Logistik",
        ("Logistik", "Spedition", "Transporte", "Lagerlogistik"),
        ("Spedition", "Transporte"),
        ("Transports", "Logistique"), ("Trasporti", "Logistica"),
        150_000, ("BET", "ASS", "ANT", "SRV"), 6),
    IndustrySpec(
        "GH", "Großhandel",
        ("Großhandel", "Handelsgesellschaft", "Technischer Handel", "Industriebedarf",
         "Baustoffhandel"),
        ("Industriebedarf",),
        ("Distribution", "Fournitures industrielles"), ("Commercio", "Forniture"),
        600_000, ("BEF", "HWZ", "ASS", "ELT", "SCH"), 8),
    IndustrySpec(
        "AZ", "Automobilzulieferer",
        ("Automotive", "Fahrzeugtechnik", "Fahrzeugteile", "Zulieferteile"),
        ("Fahrzeugtechnik",),
        ("Automobile", "Sous-traitance automobile"), ("Componenti auto",),
        200_000, ("ZER", "BEF", "PNE", "ANT", "DIC"), 5),
    IndustrySpec(
        "MT", "Medizintechnik",
        ("Medizintechnik", "Medical", "Dentaltechnik", "Chirurgie-Instrumente"),
        ("Medizintechnik",),
        ("Technique médicale", "Microtechnique"), ("Tecnica medica",),
        200_000, ("ZER", "DIC", "ASS", "BET"), 3),
    IndustrySpec(
        "DP", "Druck und Papier",
        ("Druck & Medien", "Verpackungen", "Papierverarbeitung", "Etiketten"),
        ("Druckerei",),
        ("Imprimerie", "Emballages"), ("Tipografia", "Imballaggi"),
        130_000, ("ANT", "PNE", "SCH", "ASS"), 3),
    IndustrySpec(
        "HV", "Holzverarbeitung",
        ("Holzbau", "Holzwerke", "Möbelwerkstätten", "Fensterbau", "Holztechnik"),
        ("Holzbau", "Schreinerei", "Tischlerei", "Sägewerk"),
        ("Menuiserie", "Charpente"), ("Falegnameria",),
        140_000, ("BEF", "HWZ", "ASS", "ZER", "ANT"), 4),
    IndustrySpec(
        "EN", "Energietechnik",
        ("Energietechnik", "Solartechnik", "Kältetechnik", "Wärmetechnik", "Netzbau"),
        ("Energietechnik",),
        ("Énergie", "Installations thermiques"), ("Energia", "Impianti termici"),
        250_000, ("ELT", "HYD", "BEF", "ASS", "SRV"), 3),
    IndustrySpec(
        "IT", "IT-Dienstleistungen",
        ("IT-Systemhaus", "IT-Service", "Software", "Datentechnik", "Informatik"),
        ("IT-Service",),
        ("Informatique",), ("Informatica",),
        120_000, ("ELT", "BET", "ASS"), 2),
)


class CustomerGroupSpec(NamedTuple):
    code: str
    name: str
    description: str
    discount: tuple[float, float]  # percent range the customers in this group get


CUSTOMER_GROUPS: tuple[CustomerGroupSpec, ...] = (
    CustomerGroupSpec("A-IND", "A-Industrie", "Industriekunden mit Rahmenvertrag", (8, 15)),
    CustomerGroupSpec("HANDEL", "Handel", "Wiederverkäufer und technischer Handel", (12, 20)),
    CustomerGroupSpec("HANDWERK", "Handwerk", "Handwerksbetriebe, Listenpreise", (0, 5)),
    CustomerGroupSpec("OEM", "OEM", "Erstausrüster mit Serienbedarf", (10, 18)),
    CustomerGroupSpec("OEFF", "Öffentliche Hand", "Kommunen, Stadtwerke, Zweckverbände", (3, 10)),
)


class LegalFormSpec(NamedTuple):
    form: str  # LegalForm value
    text: str  # as written in the company name
    weight: int
    employees: tuple[int, int]  # median head count and its spread factor
    sole_trader: bool = False  # the name carries a person's name


LEGAL_FORMS: dict[str, tuple[LegalFormSpec, ...]] = {
    "DE": (
        LegalFormSpec(LegalForm.GMBH, "GmbH", 48, (35, 3)),
        LegalFormSpec(LegalForm.GMBH_CO_KG, "GmbH & Co. KG", 20, (90, 3)),
        LegalFormSpec(LegalForm.AG, "AG", 4, (600, 4)),
        LegalFormSpec(LegalForm.KG, "KG", 6, (30, 3)),
        LegalFormSpec(LegalForm.EK, "e.K.", 8, (6, 2), sole_trader=True),
        LegalFormSpec(LegalForm.UG, "UG (haftungsbeschränkt)", 6, (5, 2)),
        LegalFormSpec(LegalForm.OHG, "OHG", 3, (12, 2), sole_trader=True),
    ),
    "AT": (
        LegalFormSpec(LegalForm.GMBH, "GmbH", 60, (30, 3)),
        LegalFormSpec(LegalForm.GESMBH, "GesmbH", 12, (40, 3)),
        LegalFormSpec(LegalForm.OG, "OG", 8, (10, 2), sole_trader=True),
        LegalFormSpec(LegalForm.EU, "e.U.", 10, (5, 2), sole_trader=True),
        LegalFormSpec(LegalForm.AG, "AG", 4, (500, 4)),
        LegalFormSpec(LegalForm.KG, "KG", 6, (25, 3)),
    ),
    "CH-DE": (
        LegalFormSpec(LegalForm.AG, "AG", 52, (40, 3)),
        LegalFormSpec(LegalForm.GMBH, "GmbH", 48, (12, 3)),
    ),
    "CH-FR": (
        LegalFormSpec(LegalForm.SA, "SA", 55, (35, 3)),
        LegalFormSpec(LegalForm.SARL, "Sàrl", 45, (10, 3)),
    ),
    "CH-TI": (LegalFormSpec(LegalForm.SA, "SA", 100, (25, 3)),),
}

# Syllables for invented company words like "Technoplast" or "Hydrotec".
WORD_PREFIXES: tuple[str, ...] = (
    "Techno", "Hydro", "Thermo", "Pneu", "Mecha", "Metall", "Poly", "Inno", "Sys", "Pro",
    "Kraft", "Fluid", "Dura", "Flex", "Proto", "Elektro", "Multi", "Inter", "Euro", "Alpha",
    "Nova", "Opti", "Ultra", "Vario", "Aqua", "Robo", "Ferro", "Kompo", "Terra",
)
WORD_SUFFIXES: tuple[str, ...] = (
    "plast", "tec", "tronic", "matic", "form", "tech", "werk", "line", "con", "dyn", "mat",
    "max", "star", "sys", "lux", "tek", "trans", "flow", "fix",
)
# French place tags for Romandie names like "Mécanique du Léman SA".
FRENCH_PLACES: tuple[str, ...] = (
    "du Léman", "de la Broye", "du Jura", "de la Riviera", "du Chablais", "de Lavaux",
)

TOP_LEVEL_DOMAINS: dict[str, str] = {"DE": "de", "AT": "at", "CH": "ch"}

LIST_VENDORS: tuple[str, ...] = ("Schober", "Bisnode", "AZ Direct")
LIST_LICENCES: tuple[str, ...] = (
    "Einmalnutzung Mailing",
    "Mehrfachnutzung 12 Monate",
    "Mehrfachnutzung 24 Monate, Telefonmarketing B2B",
    "Dauerlizenz mit Aktualisierungsservice",
)
TRADE_FAIRS: tuple[str, ...] = (
    "AMB Stuttgart", "EMO Hannover", "Hannover Messe", "LogiMAT", "Intec Leipzig",
    "SPS Nürnberg", "Motek", "Fakuma", "all about automation", "Intertool Wien", "SINDEX Bern",
    "Hausmesse",
)
# The inside rep's hints for field sales on a promising prospect ("schnell handeln").
ACUTE_NEEDS: tuple[str, ...] = (
    "Ersatzpumpen bis Ende März – schnell handeln",
    "Neue Fertigungslinie ab Q2, Angebot bis Monatsende",
    "Bisheriger Lieferant fällt aus, sucht sofort Ersatz",
    "Wartungsvertrag läuft aus – Entscheidung in vier Wochen",
    "Ausschreibung läuft, Abgabe in drei Wochen",
    "Umbau der Halle im Sommer, Bedarf an Antriebstechnik",
)
COMPANY_NOTES: tuple[str, ...] = (
    "Anlieferung nur Mo–Do 7–14 Uhr, Tor 3.",
    "Rahmenvertrag Zerspanung läuft bis Jahresende.",
    "Rechnungen bitte nur als PDF an die Buchhaltung.",
    "Bestellungen ab 250 € netto frei Haus vereinbart.",
    "Wettbewerber beliefert Befestigungstechnik über Kanban.",
    "Werksferien jeweils in den ersten drei Augustwochen.",
    "Lieferantenbewertung jährlich im Januar.",
)
DELIVERY_ADDITIONS: tuple[str, ...] = (
    "Werk 2", "Lager", "Wareneingang Tor 3", "Zentrallager", "Niederlassung",
)

# --- our own sales organisation -----------------------------------------------------------


class TeamSpec(NamedTuple):
    name: str
    territories: tuple[str, ...]


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("Innendienst Süd", ("DE-BY", "DE-BW", "AT")),
    TeamSpec("Innendienst Nord/West", ("DE-NORD", "DE-NW", "DE-OST", "DE-MITTE")),
    TeamSpec("Innendienst Schweiz", ("CH",)),
    # Field reps see their own region only, so their teams carry no territories.
    TeamSpec("Außendienst Süd", ()),
    TeamSpec("Außendienst Nord/West", ()),
    TeamSpec("Außendienst Schweiz", ()),
    TeamSpec("Key Accounts", ()),
    TeamSpec("Marketing", ("DE", "AT", "CH")),
    TeamSpec("Produktmanagement", ("DE", "AT", "CH")),
)


class UserSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    team: str  # "" for none
    territories: tuple[str, ...] = ()
    title: str = ""  # shown in the logins table; the user model has no title field
    login: bool = False  # advertised in the logins table
    superuser: bool = False


DEMO_PASSWORD = "demo"

USERS: tuple[UserSpec, ...] = (
    UserSpec("innendienst", "Lena", "Hoffmann", Role.INSIDE_SALES, "Innendienst Süd",
             login=True),
    UserSpec("aussendienst", "Thomas", "Berger", Role.FIELD_SALES, "Außendienst Süd",
             ("DE-BY",), login=True),
    UserSpec("kam", "Katrin", "Vogel", Role.KEY_ACCOUNT, "Key Accounts", login=True),
    UserSpec("marketing", "Julia", "Schneider", Role.MARKETING, "Marketing", login=True),
    UserSpec("produkt", "Markus", "Weber", Role.PRODUCT_MANAGEMENT, "Produktmanagement",
             login=True),
    UserSpec("leitung", "Stefan", "Wagner", Role.SALES_MANAGER, "", ("DE", "AT", "CH"),
             title="Dr.", login=True),
    UserSpec("admin", "Sabine", "Koch", Role.ADMIN, "", login=True, superuser=True),
    UserSpec("j.brandl", "Jonas", "Brandl", Role.INSIDE_SALES, "Innendienst Süd"),
    UserSpec("a.petersen", "Anna", "Petersen", Role.INSIDE_SALES, "Innendienst Nord/West"),
    UserSpec("t.schulte", "Tobias", "Schulte", Role.INSIDE_SALES, "Innendienst Nord/West"),
    UserSpec("c.baumann", "Claudia", "Baumann", Role.INSIDE_SALES, "Innendienst Schweiz"),
    UserSpec("f.haug", "Florian", "Haug", Role.FIELD_SALES, "Außendienst Süd", ("DE-BW",)),
    UserSpec("c.hofer", "Christoph", "Hofer", Role.FIELD_SALES, "Außendienst Süd",
             ("AT-OST",)),
    UserSpec("a.egger", "Andreas", "Egger", Role.FIELD_SALES, "Außendienst Süd", ("AT-WEST",)),
    UserSpec("d.pichler", "Daniel", "Pichler", Role.FIELD_SALES, "Außendienst Süd",
             ("AT-SUED",)),
    UserSpec("s.koehler", "Sebastian", "Köhler", Role.FIELD_SALES, "Außendienst Nord/West",
             ("DE-NW",)),
    UserSpec("j.hansen", "Jan", "Hansen", Role.FIELD_SALES, "Außendienst Nord/West",
             ("DE-NORD",)),
    UserSpec("m.richter", "Martin", "Richter", Role.FIELD_SALES, "Außendienst Nord/West",
             ("DE-OST",)),
    UserSpec("p.schaefer", "Peter", "Schäfer", Role.FIELD_SALES, "Außendienst Nord/West",
             ("DE-MITTE",)),
    UserSpec("r.frei", "Reto", "Frei", Role.FIELD_SALES, "Außendienst Schweiz", ("CH-DE",)),
    UserSpec("l.favre", "Luc", "Favre", Role.FIELD_SALES, "Außendienst Schweiz", ("CH-FR",)),
    UserSpec("m.bernasconi", "Marco", "Bernasconi", Role.FIELD_SALES, "Außendienst Schweiz",
             ("CH-TI",)),
)

# Who looks after the companies of a region: (inside rep, field rep). The inside reps belong
# to the Innendienst team whose territories cover the region.
REGION_STAFF: dict[str, tuple[str, str]] = {
    "DE-BY": ("innendienst", "aussendienst"),
    "DE-BW": ("j.brandl", "f.haug"),
    "AT-OST": ("j.brandl", "c.hofer"),
    "AT-WEST": ("j.brandl", "a.egger"),
    "AT-SUED": ("j.brandl", "d.pichler"),
    "DE-NW": ("t.schulte", "s.koehler"),
    "DE-MITTE": ("t.schulte", "p.schaefer"),
    "DE-NORD": ("a.petersen", "j.hansen"),
    "DE-OST": ("a.petersen", "m.richter"),
    "CH-DE": ("c.baumann", "r.frei"),
    "CH-FR": ("c.baumann", "l.favre"),
    "CH-TI": ("c.baumann", "m.bernasconi"),
}
KEY_ACCOUNT_MANAGER = "kam"
MARKETING = "marketing"
INSIDE_SALES = "innendienst"
SALES_MANAGER = "leitung"

# --- the story and the sound-alikes -------------------------------------------------------


class FixedCompany(NamedTuple):
    """A company that exists in every demo, whatever the size and the seed."""

    name: str
    legal_form: str
    city: str
    region: str
    status: str
    industry: str  # IndustrySpec code
    customer_group: str  # CustomerGroupSpec code, "" for none


STORY_COMPANY = FixedCompany("Müller Maschinenbau GmbH & Co. KG", LegalForm.GMBH_CO_KG,
                             "München", "DE-BY", "customer", "MB", "A-IND")
# For search demos: they sound like each other and like the story company.
SOUND_ALIKES: tuple[FixedCompany, ...] = (
    FixedCompany("Mueller Metallbau GmbH", LegalForm.GMBH, "Augsburg", "DE-BY", "prospect",
                 "MV", ""),
    FixedCompany("Maier Kunststofftechnik GmbH", LegalForm.GMBH, "Rosenheim", "DE-BY",
                 "customer", "KT", "A-IND"),
    FixedCompany("Meyer & Söhne KG", LegalForm.KG, "Bremen", "DE-NORD", "customer", "GH",
                 "HANDEL"),
    FixedCompany("Mayer Elektrotechnik AG", LegalForm.AG, "Zürich", "CH-DE", "customer", "ET",
                 "A-IND"),
    FixedCompany("Möller Maschinenbau GmbH", LegalForm.GMBH, "Kiel", "DE-NORD", "former", "MB",
                 "A-IND"),
)


class StoryPerson(NamedTuple):
    salutation: str
    title: str
    first_name: str
    last_name: str
    function: str  # FunctionSpec.male of the job
    roles: tuple[str, ...]


# The story company's buying center has no known decider: that is what the demo shows.
STORY_PEOPLE: tuple[StoryPerson, ...] = (
    StoryPerson("ms", "", "Claudia", "Reiter", "Einkaufsleiter", (_R.BUYER,)),
    StoryPerson("mr", "", "Andreas", "Huber", "Leiter Instandhaltung", (_R.USER,)),
    StoryPerson("ms", "", "Monika", "Seidl", "Assistenz der Geschäftsleitung", (_R.GATEKEEPER,)),
    StoryPerson("mr", "Dipl.-Ing.", "Martin", "Kastner", "Technischer Leiter", (_R.INFLUENCER,)),
)
STORY_ADDRESS = ("Frankfurter Ring 105", "80807")
STORY_PHONE = "089/35 68 94-0"

# fmt: on
