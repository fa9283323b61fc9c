"""Role matrix for contests: the coordinator runs them, experts judge, heads and curators submit entries."""
from tests.matrix.names import C, CO, EX, H, PUBLIC

MATRIX = {
    "contests.index": {CO},
    "contests.page": {CO},
    "contests.add_juror": {CO},
    "contests.suggest_experts": {CO},
    "contests.open_entries": {CO},
    "contests.start_judging": {CO},
    "contests.admit_entry": {CO},
    "contests.reject_entry": {CO},
    "contests.assign_entry": {CO},
    "contests.publish_results": {CO},
    "contests.results_progress": {CO},
    "contests.retry_results": {CO},
    "contests.protocol": {CO},
    "jury.my_contests": {EX},
    "jury.sheet": {EX},
    "contest_entries.entries": {H, C},
}

MATRIX.update({
    "contests.diplomas": {CO},
    "contests.results_order": {CO},
    "public.city_page": {PUBLIC},
    "public.practices": {PUBLIC},
    "public.institution_page": {PUBLIC},
    "public.city_feed": {PUBLIC},
    "public.institution_feed": {PUBLIC},
    "news_inst.institution_news": {H, C},
    "news_city.city_news": {CO},
    "bank_city.bank": {CO},
    "bank_city.bank_winners": {CO},
    "bank_city.review_practice": {CO},
    "bank_inst.propose": {H, C},
})

MATRIX.update({
    "contests_api.list_contests": {CO, EX},
    "contests_api.list_entries": {CO},
    "contests_api.my_scores": {EX},
    "contests_api.results": {CO, EX},
    "public_api.practices": {CO},
    "public_api.news": {CO},
})
