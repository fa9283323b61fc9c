"""The public «Наставничество» section of every institution and of the city (seed §8), the best-practice bank, news."""
